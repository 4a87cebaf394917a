#!/bin/bash
# NIC scenario 1 (see nic-scen.sh)
NIC_SCEN=1 exec bash /lab/nic-scen.sh
