// The header holds everything; this file makes the target a C library.
#include "CEventRouterSystem.h"
