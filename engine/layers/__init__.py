"""Small pieces shared by the model families: attention core, masks, norms, activations."""
