"""The charging planner: which car charges when, under one shared limit.

Pure Python with no Home Assistant import (like ``clouds/``), so the benchmark and the
unit tests run it alone. ``model`` holds the problem and the plan, ``solve`` the exact
method, ``prices`` the readers of the price and solar shapes Home Assistant offers, and
``steer`` how a plan becomes as few writes to a cloud as possible.
"""
