"""Small pieces shared by the model families: attention core, feed-forward networks, LM head, masks, norms,
activations, RoPE."""
