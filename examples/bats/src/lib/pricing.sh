# The pricing library's public face: scripts source this, not the files behind it.
source "$(dirname "${BASH_SOURCE[0]}")/invoice.sh"
source "$(dirname "${BASH_SOURCE[0]}")/money.sh"
