"""PLM Explorer: python main.py [--model NAME] [--text TEXT] [--pair TEXT] [--step STEP] [--view VIEW]
[--layer N] [--head N] [--lang en|zh] [--screenshot FILE.png]   (layers and heads count from 1; main.py --help)

The Parameters page: --view params|compare|memory|albert|scaling|editor [--compare A,B,...] [--series gpt|llama|t5]
[--edit PRESET --set KEY=VALUE ...]   e.g. main.py --view params --compare albert-base-v2,bert-base-uncased"""
import sys

from explorer.app import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
