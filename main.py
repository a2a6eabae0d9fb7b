"""PLM Explorer: python main.py [--model NAME] [--text TEXT] [--pair TEXT] [--step STEP] [--view VIEW]
[--layer N] [--head N] [--lang en|zh] [--screenshot FILE.png]   (layers and heads count from 1; main.py --help)"""
import sys

from explorer.app import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
