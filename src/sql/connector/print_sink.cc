#include "sql/connector/print_sink.h"

#include <algorithm>
#include <iostream>

namespace caudal::sql {
namespace {

// Characters (UTF-8 code points) in `text`: what a cell's width is counted in.
size_t characterCount(std::string_view text) {
  size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

// The first `characters` characters of `text`.
std::string_view prefixOf(std::string_view text, size_t characters) {
  size_t count = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (count == characters) return text.substr(0, i);
      ++count;
    }
  }
  return text;
}

// As Spark's SchemaUtils.escapeMetaCharacters, so that a cell stays on its line.
std::string escapeMetaCharacters(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\v':
        out += "\\v";
        break;
      case '\a':
        out += "\\a";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string truncateCell(std::string cell, int64_t truncate) {
  if (truncate <= 0 || characterCount(cell) <= static_cast<size_t>(truncate)) return cell;
  if (truncate < 4) return std::string(prefixOf(cell, static_cast<size_t>(truncate)));
  return std::string(prefixOf(cell, static_cast<size_t>(truncate - 3))).append("...");
}

void appendRow(const std::vector<std::string>& cells, const std::vector<size_t>& widths,
               bool right_align, std::string& out) {
  out += '|';
  for (size_t c = 0; c < cells.size(); ++c) {
    const size_t padding = widths[c] - characterCount(cells[c]);
    if (right_align) out.append(padding, ' ');
    out += cells[c];
    if (!right_align) out.append(padding, ' ');
    out += '|';
  }
  out += '\n';
}

}  // namespace

std::string showTable(const std::vector<std::string>& header,
                      const std::vector<std::vector<std::string>>& rows, int64_t truncate,
                      bool has_more, int64_t num_rows) {
  constexpr size_t kMinimumWidth = 3;
  std::vector<size_t> widths(header.size(), kMinimumWidth);
  for (size_t c = 0; c < header.size(); ++c)
    widths[c] = std::max(widths[c], characterCount(header[c]));
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size() && c < widths.size(); ++c) {
      widths[c] = std::max(widths[c], characterCount(row[c]));
    }
  }
  std::string separator = "+";
  for (size_t width : widths) separator.append(width, '-').append("+");
  separator += '\n';
  const bool right_align = truncate > 0;
  std::string out = separator;
  appendRow(header, widths, right_align, out);
  out += separator;
  for (const auto& row : rows) appendRow(row, widths, right_align, out);
  out += separator;
  if (has_more) {
    out.append("only showing top ")
        .append(std::to_string(num_rows))
        .append(num_rows == 1 ? " row\n" : " rows\n");
  }
  return out;
}

PrintSink::PrintSink(PrintOptions options, std::ostream* out)
    : options_(options), out_(out == nullptr ? &std::cout : out) {}

Status PrintSink::open(const SinkContext& context) {
  schema_ = context.schema;
  return Status::ok();
}

Status PrintSink::writeBatch(int64_t batch_id, std::span<const DataChunk> chunks) {
  std::vector<std::string> header;
  for (const Field& column : schema_.columns) header.push_back(escapeMetaCharacters(column.name));
  std::vector<std::vector<std::string>> rows;
  bool has_more = false;
  for (const DataChunk& chunk : chunks) {
    const Rows positions = chunk.rows();
    for (uint32_t i = 0; i < positions.count && !has_more; ++i) {
      const uint32_t position = positions[i];
      if (!isAccumulate(chunk.kindAt(position))) continue;
      if (static_cast<int64_t>(rows.size()) >= options_.num_rows) {
        has_more = true;
        break;
      }
      std::vector<std::string> cells;
      cells.reserve(chunk.columnCount());
      for (size_t c = 0; c < chunk.columnCount(); ++c) {
        cells.push_back(
            truncateCell(escapeMetaCharacters(chunk.column(c).getValue(position).toString()),
                         options_.truncate));
      }
      rows.push_back(std::move(cells));
    }
  }
  std::string text = "-------------------------------------------\nBatch: ";
  text.append(std::to_string(batch_id)).append("\n-------------------------------------------\n");
  text += showTable(header, rows, options_.truncate, has_more, options_.num_rows);
  text += '\n';
  out_->write(text.data(), static_cast<std::streamsize>(text.size()));
  out_->flush();
  if (!*out_)
    return Status::error(
        std::string("print sink: cannot write batch ").append(std::to_string(batch_id)));
  return Status::ok();
}

}  // namespace caudal::sql
