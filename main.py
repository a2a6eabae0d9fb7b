"""PLM Explorer: python main.py [--model NAME] [--text TEXT] [--pair TEXT] [--step STEP] [--view VIEW]
[--layer N] [--head N] [--lang en|zh] [--screenshot FILE.png]   (layers and heads count from 1; main.py --help)

The Parameters page: --view params|compare|memory|albert|scaling|editor [--compare A,B,...] [--series gpt|llama|t5]
[--edit PRESET --set KEY=VALUE ...]   e.g. main.py --view params --compare albert-base-v2,bert-base-uncased

The Architecture page (Ctrl+3): --view graph [--model NAME] draws the model's graph; --compare A,B[,C] with it puts
their layers side by side with the differences named,   e.g. main.py --view graph --model t5-small
or main.py --view graph --compare bert-base-uncased,llama-2-7b

The Generate page (Ctrl+4): --view generate [--model NAME] [--text TEXT | --template KEY] [--steps N]
[--temperature T --top-k K --top-p P --seed S]   e.g. main.py --view generate --model gpt2-tiny --text "The cat"
--steps 5 --screenshot docs/generate-gpt2.png"""
import os
import sys
import threading

from explorer.app import main

EXIT_GRACE_S = 5.0   # once the window is closed, a worker stuck in a call (a hung load) cannot hold the process


def _exit_anyway(code: int) -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    code = main(sys.argv[1:])
    stop = threading.Timer(EXIT_GRACE_S, _exit_anyway, (code,))   # fires only if the interpreter's exit hangs
    stop.daemon = True
    stop.start()
    sys.exit(code)
