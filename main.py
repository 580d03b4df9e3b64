"""``python main.py [FILE…]``: start annotator (same as the ``annotator`` command)."""

import sys

from annotator.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
