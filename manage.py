#!/usr/bin/env python
"""Same as the ``loket`` console command, for those who expect manage.py."""

from loket.__main__ import main

if __name__ == "__main__":
    main()
