#!/bin/bash
# lab5 scenario mh-uplink (see mh5-scen.sh)
MH_MODE=uplink exec bash /lab/mh5-scen.sh
