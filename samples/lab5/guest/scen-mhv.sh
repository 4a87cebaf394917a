#!/bin/bash
# lab5 scenario mh-vxlan (see mh5-scen.sh)
MH_MODE=vxlan exec bash /lab/mh5-scen.sh
