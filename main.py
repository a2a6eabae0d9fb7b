"""PLM Explorer: python main.py [--model NAME] [--text TEXT] [--step STEP] [--screenshot FILE.png]"""
import sys

from explorer.app import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
