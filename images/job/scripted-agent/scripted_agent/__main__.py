"""`python3 -m scripted_agent`: the same as the `scripted-agent` command."""

import sys

from scripted_agent.cli import main

sys.exit(main())
