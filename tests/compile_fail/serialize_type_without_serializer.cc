// Serializing a type that has no caudal::Serializer is refused when the program is compiled,
// with a message saying how to give it one.
// expect-error: this type has no binary serialization.*Specialize caudal::Serializer<T>
#include <caudal/serde.h>

#include <string>

struct Reading {
  std::string sensor;
  double celsius;
};

int main() {
  std::string bytes = caudal::serialize(Reading{"t1", 21.5});
  return bytes.empty() ? 0 : 1;
}
