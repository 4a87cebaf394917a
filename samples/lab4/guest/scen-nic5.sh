#!/bin/bash
# NIC scenario 5 (see nic-scen.sh)
NIC_SCEN=5 exec bash /lab/nic-scen.sh
