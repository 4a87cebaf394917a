#!/bin/bash
# NIC scenario 3 (see nic-scen.sh)
NIC_SCEN=3 exec bash /lab/nic-scen.sh
