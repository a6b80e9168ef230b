import sys

from lib.tagger.train import main

sys.exit(main())
