// Readable names of C++ types, for messages.
#pragma once

#include <string>
#include <typeinfo>

namespace caudal::detail {

/// The demangled name of `type` ("Reading", "std::vector<int, std::allocator<int> >"), or its
/// mangled name when it cannot be demangled.
std::string typeName(const std::type_info& type);

}  // namespace caudal::detail
