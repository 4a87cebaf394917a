#!/bin/bash
# NIC scenario 2 (see nic-scen.sh)
NIC_SCEN=2 exec bash /lab/nic-scen.sh
