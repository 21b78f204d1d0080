// Caudal's DStream API: everything a streaming program includes.
#pragma once

#include "caudal/batch_info.h"       // IWYU pragma: export
#include "caudal/config.h"           // IWYU pragma: export
#include "caudal/context_state.h"    // IWYU pragma: export
#include "caudal/dstream.h"          // IWYU pragma: export
#include "caudal/duration.h"         // IWYU pragma: export
#include "caudal/error.h"            // IWYU pragma: export
#include "caudal/logging.h"          // IWYU pragma: export
#include "caudal/rdd.h"              // IWYU pragma: export
#include "caudal/receiver.h"         // IWYU pragma: export
#include "caudal/record_format.h"    // IWYU pragma: export
#include "caudal/serde.h"            // IWYU pragma: export
#include "caudal/state.h"            // IWYU pragma: export
#include "caudal/streaming_context.h"  // IWYU pragma: export
#include "caudal/strings.h"          // IWYU pragma: export
