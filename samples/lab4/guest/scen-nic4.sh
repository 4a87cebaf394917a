#!/bin/bash
# NIC scenario 4 (see nic-scen.sh)
NIC_SCEN=4 exec bash /lab/nic-scen.sh
