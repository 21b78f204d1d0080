#include "sql/parser/parser.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <utility>

#include "sql/parser/keywords.h"
#include "sql/parser/lexer.h"

namespace caudal::sql::ast {
namespace {

constexpr std::string_view kStatementKeywords[] = {
    "SELECT", "VALUES",  "WITH", "INSERT", "EXECUTE",  "BEGIN", "CREATE",
    "DROP",   "SET",     "RESET", "SHOW",  "DESCRIBE", "DESC",  "EXPLAIN",
};

// A time unit keyword (singular or plural), or nothing.
std::optional<TimeUnit> timeUnitOf(const Token& token) {
  if (token.kind != TokenKind::kWord) return std::nullopt;
  struct Entry {
    std::string_view word;
    TimeUnit unit;
  };
  static constexpr Entry kUnits[] = {
      {"YEAR", TimeUnit::kYear},       {"YEARS", TimeUnit::kYear},
      {"QUARTER", TimeUnit::kQuarter}, {"MONTH", TimeUnit::kMonth},
      {"MONTHS", TimeUnit::kMonth},    {"WEEK", TimeUnit::kWeek},
      {"DAY", TimeUnit::kDay},         {"DAYS", TimeUnit::kDay},
      {"HOUR", TimeUnit::kHour},       {"HOURS", TimeUnit::kHour},
      {"MINUTE", TimeUnit::kMinute},   {"MINUTES", TimeUnit::kMinute},
      {"SECOND", TimeUnit::kSecond},   {"SECONDS", TimeUnit::kSecond},
      {"MILLISECOND", TimeUnit::kMillisecond}, {"MICROSECOND", TimeUnit::kMicrosecond},
      {"NANOSECOND", TimeUnit::kNanosecond},   {"DOW", TimeUnit::kDayOfWeek},
      {"DOY", TimeUnit::kDayOfYear},   {"ISODOW", TimeUnit::kIsoDayOfWeek},
      {"ISOYEAR", TimeUnit::kIsoYear}, {"EPOCH", TimeUnit::kEpoch},
      {"DECADE", TimeUnit::kDecade},   {"CENTURY", TimeUnit::kCentury},
      {"MILLENNIUM", TimeUnit::kMillennium},
  };
  for (const Entry& entry : kUnits) {
    if (token.isWord(entry.word)) return entry.unit;
  }
  return std::nullopt;
}

bool isIntervalUnit(TimeUnit unit) { return unit <= TimeUnit::kSecond; }

// Whether `start TO end` is an interval range: YEAR TO MONTH, or a day-time range such as
// DAY TO SECOND.
bool isIntervalRange(TimeUnit start, TimeUnit end) {
  if (start == TimeUnit::kYear) return end == TimeUnit::kMonth;
  bool day_time_start = start == TimeUnit::kDay || start == TimeUnit::kHour ||
                        start == TimeUnit::kMinute;
  bool day_time_end =
      end == TimeUnit::kHour || end == TimeUnit::kMinute || end == TimeUnit::kSecond;
  return day_time_start && day_time_end && end > start;
}

// Parses the digits of an integer token; nothing if it does not fit in int64.
std::optional<int64_t> parseInt64(std::string_view digits) {
  int64_t value = 0;
  for (char c : digits) {
    int digit = c - '0';
    if (value > (std::numeric_limits<int64_t>::max() - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

int heightOf(const ExprPtr& expr) { return expr ? expr->height : 0; }
int heightOf(const QueryPtr& query) { return query ? query->height : 0; }
int heightOf(const TableRefPtr& ref) { return ref ? ref->height : 0; }
int heightOf(const std::vector<ExprPtr>& exprs) {
  int height = 0;
  for (const ExprPtr& expr : exprs) height = std::max(height, heightOf(expr));
  return height;
}
int heightOf(const std::vector<OrderItem>& items) {
  int height = 0;
  for (const OrderItem& item : items) height = std::max(height, heightOf(item.expr));
  return height;
}

// The heights of nodes from their children's (which are already set). Not inlined: inlined
// into a caller that just made, say, a Binary, GCC 12 at -O3 warns (-Warray-bounds) about the
// branches for the other kinds, which it cannot prove dead.
[[gnu::noinline]] int computeHeight(const Expr& expr) {
  int children = 0;
  switch (expr.kind) {
    case ExprKind::kLiteral:
    case ExprKind::kColumnRef:
    case ExprKind::kStar:
    case ExprKind::kDescriptor:
      break;
    case ExprKind::kTableArgument:
      children = heightOf(expr.as<TableArgument>().partition_by);
      break;
    case ExprKind::kUnary:
      children = heightOf(expr.as<Unary>().operand);
      break;
    case ExprKind::kBinary: {
      const auto& binary = expr.as<Binary>();
      children = std::max(heightOf(binary.left), heightOf(binary.right));
      break;
    }
    case ExprKind::kIsTest:
      children = heightOf(expr.as<IsTest>().operand);
      break;
    case ExprKind::kBetween: {
      const auto& between = expr.as<Between>();
      children = std::max({heightOf(between.operand), heightOf(between.low),
                           heightOf(between.high)});
      break;
    }
    case ExprKind::kLike: {
      const auto& like = expr.as<Like>();
      children =
          std::max({heightOf(like.operand), heightOf(like.pattern), heightOf(like.escape)});
      break;
    }
    case ExprKind::kInList: {
      const auto& in = expr.as<InList>();
      children = std::max(heightOf(in.operand), heightOf(in.list));
      break;
    }
    case ExprKind::kInSubquery: {
      const auto& in = expr.as<InSubquery>();
      children = std::max(heightOf(in.operand), heightOf(in.query));
      break;
    }
    case ExprKind::kExists:
      children = heightOf(expr.as<Exists>().query);
      break;
    case ExprKind::kScalarSubquery:
      children = heightOf(expr.as<ScalarSubquery>().query);
      break;
    case ExprKind::kCase: {
      const auto& case_expr = expr.as<Case>();
      children = std::max(heightOf(case_expr.operand), heightOf(case_expr.else_result));
      for (const WhenClause& when : case_expr.whens) {
        children = std::max({children, heightOf(when.when), heightOf(when.then)});
      }
      break;
    }
    case ExprKind::kCast:
      children = heightOf(expr.as<Cast>().operand);
      break;
    case ExprKind::kFunctionCall: {
      const auto& call = expr.as<FunctionCall>();
      children = std::max(heightOf(call.args), heightOf(call.filter));
      if (call.over) {
        children = std::max({children, heightOf(call.over->partition_by),
                             heightOf(call.over->order_by)});
        if (call.over->frame) {
          children = std::max(children, heightOf(call.over->frame->start.offset));
          if (call.over->frame->end) {
            children = std::max(children, heightOf(call.over->frame->end->offset));
          }
        }
      }
      break;
    }
    case ExprKind::kExtract:
      children = heightOf(expr.as<Extract>().operand);
      break;
    case ExprKind::kTrim: {
      const auto& trim = expr.as<Trim>();
      children = std::max(heightOf(trim.characters), heightOf(trim.operand));
      break;
    }
    case ExprKind::kConstructor:
      children = heightOf(expr.as<Constructor>().elements);
      break;
    case ExprKind::kSubscript: {
      const auto& subscript = expr.as<Subscript>();
      children = std::max(heightOf(subscript.base), heightOf(subscript.index));
      break;
    }
    case ExprKind::kFieldAccess:
      children = heightOf(expr.as<FieldAccess>().base);
      break;
    case ExprKind::kNamedArgument:
      children = heightOf(expr.as<NamedArgument>().value);
      break;
    case ExprKind::kGroupingSets:
      children = heightOf(expr.as<GroupingSets>().elements);
      break;
  }
  return children + 1;
}

[[gnu::noinline]] int computeHeight(const Query& query) {
  int children = std::max({heightOf(query.order_by), heightOf(query.limit), heightOf(query.offset)});
  for (const CommonTableExpr& cte : query.with) children = std::max(children, heightOf(cte.query));
  switch (query.kind) {
    case QueryKind::kSelect: {
      const auto& select = query.as<SelectQuery>();
      for (const SelectItem& item : select.items) children = std::max(children, heightOf(item.expr));
      children = std::max({children, heightOf(select.from), heightOf(select.where),
                           heightOf(select.group_by), heightOf(select.having)});
      break;
    }
    case QueryKind::kSetOperation: {
      const auto& set = query.as<SetOperation>();
      children = std::max({children, heightOf(set.left), heightOf(set.right)});
      break;
    }
    case QueryKind::kValues:
      for (const auto& row : query.as<ValuesQuery>().rows) {
        children = std::max(children, heightOf(row));
      }
      break;
  }
  return children + 1;
}

[[gnu::noinline]] int computeHeight(const TableRef& ref) {
  int children = 0;
  switch (ref.kind) {
    case TableRefKind::kNamedTable:
      children = heightOf(ref.as<NamedTableRef>().system_time);
      break;
    case TableRefKind::kSubquery:
      children = heightOf(ref.as<SubqueryRef>().query);
      break;
    case TableRefKind::kTableFunction: {
      const auto& function = ref.as<TableFunctionRef>();
      children = function.call ? function.call->height : 0;
      break;
    }
    case TableRefKind::kJoin: {
      const auto& join = ref.as<JoinRef>();
      children = std::max({heightOf(join.left), heightOf(join.right), heightOf(join.condition)});
      break;
    }
  }
  return children + 1;
}

// What a parenthesized group turned out to be: a query, or one or more comma-separated
// expressions.
struct Parenthesized {
  QueryPtr query;
  std::vector<ExprPtr> exprs;
  const Token* open = nullptr;
};

class Parser {
 public:
  Parser(std::string_view sql, std::vector<Token> tokens) : sql_(sql), tokens_(std::move(tokens)) {
    reserved_.reserve(tokens_.size());
    for (const Token& token : tokens_) {
      reserved_.push_back(token.kind == TokenKind::kWord && isReservedWord(token.text));
    }
  }

  Result<std::vector<StatementPtr>> script() {
    std::vector<StatementPtr> statements;
    for (;;) {
      while (accept(TokenKind::kSemicolon)) {
      }
      if (check(TokenKind::kEndOfInput)) break;
      StatementPtr statement = parseStatement();
      if (!statement) return error();
      statements.push_back(std::move(statement));
      if (!check(TokenKind::kSemicolon) && !check(TokenKind::kEndOfInput)) {
        failExpected("';' or the end of the input after the statement");
        return error();
      }
    }
    return statements;
  }

  Result<StatementPtr> singleStatement() {
    if (check(TokenKind::kEndOfInput)) {
      failExpected("a statement");
      return error();
    }
    StatementPtr statement = parseStatement();
    if (!statement) return error();
    accept(TokenKind::kSemicolon);
    if (!check(TokenKind::kEndOfInput)) {
      failExpected("the end of the input after the statement");
      return error();
    }
    return statement;
  }

  Result<ExprPtr> singleExpression() {
    ExprPtr expr = parseExpr();
    if (!expr) return error();
    if (!check(TokenKind::kEndOfInput)) {
      failExpected("an operator or the end of the input");
      return error();
    }
    return expr;
  }

 private:
  // --- Tokens -------------------------------------------------------------------------------

  const Token& peek(size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  bool reservedAt(size_t ahead = 0) const {
    return reserved_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  const Token& advance() {
    const Token& token = tokens_[pos_];
    if (pos_ + 1 < tokens_.size()) ++pos_;
    last_end_ = token.endOffset();
    return token;
  }
  bool check(TokenKind kind, size_t ahead = 0) const { return peek(ahead).kind == kind; }
  bool checkWord(std::string_view keyword, size_t ahead = 0) const {
    return peek(ahead).isWord(keyword);
  }
  bool accept(TokenKind kind) {
    if (!check(kind)) return false;
    advance();
    return true;
  }
  bool acceptWord(std::string_view keyword) {
    if (!checkWord(keyword)) return false;
    advance();
    return true;
  }
  // Whether the token `ahead` can be a bare or quoted identifier.
  bool isIdentifier(size_t ahead = 0) const {
    const Token& token = peek(ahead);
    return token.kind == TokenKind::kQuotedIdentifier ||
           (token.kind == TokenKind::kWord && !reservedAt(ahead));
  }
  bool isQueryStart(size_t ahead = 0) const {
    return checkWord("SELECT", ahead) || checkWord("VALUES", ahead) || checkWord("WITH", ahead);
  }

  // --- Errors -------------------------------------------------------------------------------

  Status error() const { return Status::error(error_); }

  std::nullptr_t fail(SourcePosition at, std::string_view message) {
    if (error_.empty()) error_ = formatSqlError(at, message);
    return nullptr;
  }

  static std::string describe(const Token& token) {
    if (token.kind == TokenKind::kEndOfInput) return "end of input";
    constexpr size_t kMaxShown = 40;
    std::string_view text = token.text;
    bool cut = text.size() > kMaxShown;
    if (cut) text = text.substr(0, kMaxShown);
    std::string shown(text);
    if (cut) shown.append("...");
    switch (token.kind) {
      case TokenKind::kString:
        return std::string("string ").append(shown);
      case TokenKind::kQuotedIdentifier:
        return std::string("identifier ").append(shown);
      default:
        return std::string("'").append(shown).append("'");
    }
  }

  // "expected <what> but found <current token>".
  std::nullptr_t failExpected(std::string_view what) {
    std::string message("expected ");
    message.append(what).append(" but found ").append(describe(peek()));
    if (peek().kind == TokenKind::kWord && reservedAt() &&
        (what.find("name") != std::string_view::npos ||
         what.find("identifier") != std::string_view::npos)) {
      message.append(" (a reserved word; quote it as `")
          .append(peek().text)
          .append("` to use it as a name)");
    }
    return fail(peek().position, message);
  }

  bool expect(TokenKind kind, std::string_view what) {
    if (accept(kind)) return true;
    failExpected(what);
    return false;
  }
  bool expectWord(std::string_view keyword) {
    if (acceptWord(keyword)) return true;
    failExpected(keyword);
    return false;
  }
  // Expects the token closing `open` ('(' or '[').
  bool expectClose(const Token& open) {
    TokenKind close =
        open.kind == TokenKind::kLeftBracket ? TokenKind::kRightBracket : TokenKind::kRightParen;
    if (accept(close)) return true;
    std::string what(close == TokenKind::kRightBracket ? "']' to close '['" : "')' to close '('");
    what.append(" opened at line ")
        .append(std::to_string(open.position.line))
        .append(", column ")
        .append(std::to_string(open.position.column));
    failExpected(what);
    return false;
  }

  // Counts one level of recursion for as long as it lives.
  class Nesting {
   public:
    explicit Nesting(Parser& parser) : parser_(parser) { ++parser_.depth_; }
    ~Nesting() { --parser_.depth_; }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;
    bool ok() const {
      if (parser_.depth_ <= kMaxNestingDepth) return true;
      parser_.fail(parser_.peek().position,
                   "the statement is nested too deeply (more than 256 levels of parentheses, "
                   "subqueries, types or operators)");
      return false;
    }

   private:
    Parser& parser_;
  };

  // Sets the height of a new node and checks it against kMaxTreeHeight.
  template <class T>
  bool finish(T& node) {
    node.height = computeHeight(node);
    if (node.height <= kMaxTreeHeight) return true;
    fail(node.position, "the statement is nested too deeply (an expression or query more than "
                        "1000 levels deep; split long chains of operators)");
    return false;
  }
  template <class T>
  ExprPtr finishExpr(std::unique_ptr<T> node) {
    if (!finish(static_cast<Expr&>(*node))) return nullptr;
    return node;
  }

  // --- Names --------------------------------------------------------------------------------

  std::optional<Identifier> parseIdentifier(std::string_view what) {
    if (!isIdentifier()) {
      failExpected(what);
      return std::nullopt;
    }
    const Token& token = advance();
    Identifier identifier;
    identifier.position = token.position;
    if (token.kind == TokenKind::kQuotedIdentifier) {
      identifier.text = decodeQuotedIdentifier(token.text);
      identifier.quoted = true;
    } else {
      identifier.text = std::string(token.text);
    }
    return identifier;
  }

  std::optional<QualifiedName> parseQualifiedName(std::string_view what) {
    QualifiedName name;
    do {
      std::optional<Identifier> part = parseIdentifier(what);
      if (!part) return std::nullopt;
      name.push_back(std::move(*part));
    } while (check(TokenKind::kDot) && isIdentifier(1) && (advance(), true));
    return name;
  }

  // `(a, b, ...)`.
  std::optional<std::vector<Identifier>> parseIdentifierList(std::string_view what) {
    if (!check(TokenKind::kLeftParen)) {
      failExpected("'('");
      return std::nullopt;
    }
    const Token& open = advance();
    std::vector<Identifier> list;
    do {
      std::optional<Identifier> identifier = parseIdentifier(what);
      if (!identifier) return std::nullopt;
      list.push_back(std::move(*identifier));
    } while (accept(TokenKind::kComma));
    if (!expectClose(open)) return std::nullopt;
    return list;
  }

  std::optional<std::string> parseStringLiteral(std::string_view what) {
    if (!check(TokenKind::kString)) {
      failExpected(what);
      return std::nullopt;
    }
    return decodeStringLiteral(advance().text);
  }

  std::optional<int64_t> parseUnsignedInteger(std::string_view what) {
    if (!check(TokenKind::kInteger)) {
      failExpected(what);
      return std::nullopt;
    }
    const Token& token = peek();
    std::optional<int64_t> value = parseInt64(token.text);
    if (!value) {
      fail(token.position, std::string("number ").append(token.text).append(" is too large"));
      return std::nullopt;
    }
    advance();
    return value;
  }

  // --- Statements ---------------------------------------------------------------------------

  StatementPtr parseStatement() {
    const Token& first = peek();
    StatementPtr statement;
    if (isQueryStart() || check(TokenKind::kLeftParen)) {
      auto query_statement = std::make_unique<QueryStatement>();
      query_statement->query = parseQuery();
      if (!query_statement->query) return nullptr;
      statement = std::move(query_statement);
    } else if (checkWord("CREATE")) {
      statement = parseCreate();
    } else if (checkWord("DROP")) {
      statement = parseDrop();
    } else if (checkWord("INSERT")) {
      statement = parseInsert();
    } else if (checkWord("EXECUTE") || checkWord("BEGIN")) {
      statement = parseStatementSet();
    } else if (checkWord("SET")) {
      statement = parseSet();
    } else if (checkWord("RESET")) {
      statement = parseReset();
    } else if (checkWord("SHOW")) {
      statement = parseShow();
    } else if (checkWord("DESCRIBE") || checkWord("DESC")) {
      advance();
      auto describe = std::make_unique<Describe>();
      std::optional<QualifiedName> name = parseQualifiedName("a table or view name");
      if (!name) return nullptr;
      describe->name = std::move(*name);
      statement = std::move(describe);
    } else if (checkWord("EXPLAIN")) {
      statement = parseExplain();
    } else {
      return failUnknownStatement();
    }
    if (!statement) return nullptr;
    statement->position = first.position;
    statement->begin_offset = first.offset;
    statement->end_offset = last_end_;
    return statement;
  }

  std::nullptr_t failUnknownStatement() {
    const Token& token = peek();
    if (token.kind != TokenKind::kWord) return failExpected("a statement");
    std::string message("unknown statement '");
    message.append(token.text).append("'");
    std::string_view suggestion = closestKeyword(token.text, kStatementKeywords);
    if (!suggestion.empty()) message.append(" (did you mean ").append(suggestion).append("?)");
    message.append(
        "; expected SELECT, VALUES, WITH, INSERT, EXECUTE STATEMENT SET, CREATE, DROP, SET, "
        "RESET, SHOW, DESCRIBE or EXPLAIN");
    return fail(token.position, message);
  }

  StatementPtr parseCreate() {
    advance();  // CREATE
    bool temporary = acceptWord("TEMPORARY");
    bool system = temporary && acceptWord("SYSTEM");
    if (checkWord("TABLE")) {
      if (system) return fail(peek().position, "SYSTEM applies to functions only");
      return parseCreateTable(temporary);
    }
    if (checkWord("VIEW")) {
      if (system) return fail(peek().position, "SYSTEM applies to functions only");
      return parseCreateView(temporary);
    }
    if (checkWord("FUNCTION")) return parseCreateFunction(temporary, system);
    return failExpected(system ? "FUNCTION" : "TABLE, VIEW or FUNCTION after CREATE");
  }

  // IF NOT EXISTS, if present.
  std::optional<bool> parseIfNotExists() {
    if (!acceptWord("IF")) return false;
    if (!expectWord("NOT") || !expectWord("EXISTS")) return std::nullopt;
    return true;
  }

  StatementPtr parseCreateTable(bool temporary) {
    advance();  // TABLE
    auto create = std::make_unique<CreateTable>();
    create->temporary = temporary;
    std::optional<bool> if_not_exists = parseIfNotExists();
    if (!if_not_exists) return nullptr;
    create->if_not_exists = *if_not_exists;
    std::optional<QualifiedName> name = parseQualifiedName("a table name");
    if (!name) return nullptr;
    create->name = std::move(*name);
    if (check(TokenKind::kLeftParen)) {
      const Token& open = advance();
      do {
        if (!parseTableElement(*create)) return nullptr;
      } while (accept(TokenKind::kComma));
      if (!expectClose(open)) return nullptr;
    }
    if (acceptWord("COMMENT")) {
      std::optional<std::string> comment = parseStringLiteral("a comment string");
      if (!comment) return nullptr;
      create->comment = std::move(*comment);
    }
    if (acceptWord("PARTITIONED")) {
      if (!expectWord("BY")) return nullptr;
      auto columns = parseIdentifierList("a column name");
      if (!columns) return nullptr;
      create->partitioned_by = std::move(*columns);
    }
    if (acceptWord("WITH")) {
      if (!check(TokenKind::kLeftParen)) return failExpected("'(' to start the table options");
      const Token& open = advance();
      if (!check(TokenKind::kRightParen)) {
        do {
          std::optional<TableOption> option = parseOption();
          if (!option) return nullptr;
          create->options.push_back(std::move(*option));
        } while (accept(TokenKind::kComma));
      }
      if (!expectClose(open)) return nullptr;
    }
    if (checkWord("LIKE")) {
      return fail(peek().position, "CREATE TABLE ... LIKE is not supported");
    }
    if (acceptWord("AS")) {
      create->as_query = parseQuery();
      if (!create->as_query) return nullptr;
    }
    return create;
  }

  // `'key' = 'value'`.
  std::optional<TableOption> parseOption() {
    TableOption option;
    option.position = peek().position;
    std::optional<std::string> key = parseStringLiteral("an option key string such as 'connector'");
    if (!key) return std::nullopt;
    if (!expect(TokenKind::kEquals, "'='")) return std::nullopt;
    std::optional<std::string> value = parseStringLiteral("an option value string");
    if (!value) return std::nullopt;
    option.key = std::move(*key);
    option.value = std::move(*value);
    return option;
  }

  bool parseTableElement(CreateTable& create) {
    const Token& start = peek();
    if (checkWord("WATERMARK") && checkWord("FOR", 1)) {
      advance();
      advance();
      if (create.watermark) {
        fail(start.position, "a table has at most one WATERMARK");
        return false;
      }
      WatermarkDefinition watermark;
      watermark.position = start.position;
      std::optional<Identifier> column = parseIdentifier("the name of the time attribute column");
      if (!column) return false;
      watermark.column = std::move(*column);
      if (!expectWord("AS")) return false;
      watermark.expr = parseExpr();
      if (!watermark.expr) return false;
      create.watermark = std::move(watermark);
      return true;
    }
    if ((checkWord("PRIMARY") && checkWord("KEY", 1)) || checkWord("CONSTRAINT")) {
      PrimaryKeyDefinition key;
      key.position = start.position;
      if (acceptWord("CONSTRAINT")) {
        std::optional<Identifier> name = parseIdentifier("a constraint name");
        if (!name) return false;
        key.constraint_name = std::move(*name);
      }
      if (!expectWord("PRIMARY") || !expectWord("KEY")) return false;
      auto columns = parseIdentifierList("a column name");
      if (!columns) return false;
      key.columns = std::move(*columns);
      if (!parseEnforcement(key)) return false;
      return setPrimaryKey(create, std::move(key));
    }
    ColumnDefinition column;
    std::optional<Identifier> name = parseIdentifier("a column name, WATERMARK or PRIMARY KEY");
    if (!name) return false;
    column.name = std::move(*name);
    if (acceptWord("AS")) {
      column.column_kind = ColumnKind::kComputed;
      column.expr = parseExpr();
      if (!column.expr) return false;
    } else {
      column.type = parseType();
      if (!column.type) return false;
      if (acceptWord("METADATA")) {
        column.column_kind = ColumnKind::kMetadata;
        if (acceptWord("FROM")) {
          std::optional<std::string> key = parseStringLiteral("a metadata key string");
          if (!key) return false;
          column.metadata_key = std::move(*key);
        }
        column.is_virtual = acceptWord("VIRTUAL");
      } else if (checkWord("PRIMARY") || checkWord("CONSTRAINT")) {
        PrimaryKeyDefinition key;
        key.position = peek().position;
        if (acceptWord("CONSTRAINT")) {
          std::optional<Identifier> constraint = parseIdentifier("a constraint name");
          if (!constraint) return false;
          key.constraint_name = std::move(*constraint);
        }
        if (!expectWord("PRIMARY") || !expectWord("KEY")) return false;
        key.columns.push_back(column.name);
        if (!parseEnforcement(key)) return false;
        if (!setPrimaryKey(create, std::move(key))) return false;
      }
    }
    if (acceptWord("COMMENT")) {
      std::optional<std::string> comment = parseStringLiteral("a comment string");
      if (!comment) return false;
      column.comment = std::move(*comment);
    }
    create.columns.push_back(std::move(column));
    return true;
  }

  bool parseEnforcement(PrimaryKeyDefinition& key) {
    if (acceptWord("NOT")) {
      if (!expectWord("ENFORCED")) return false;
      key.not_enforced = true;
    } else {
      acceptWord("ENFORCED");
    }
    return true;
  }

  bool setPrimaryKey(CreateTable& create, PrimaryKeyDefinition key) {
    if (create.primary_key) {
      fail(key.position, "a table has at most one PRIMARY KEY");
      return false;
    }
    create.primary_key = std::move(key);
    return true;
  }

  StatementPtr parseCreateView(bool temporary) {
    advance();  // VIEW
    auto create = std::make_unique<CreateView>();
    create->temporary = temporary;
    std::optional<bool> if_not_exists = parseIfNotExists();
    if (!if_not_exists) return nullptr;
    create->if_not_exists = *if_not_exists;
    std::optional<QualifiedName> name = parseQualifiedName("a view name");
    if (!name) return nullptr;
    create->name = std::move(*name);
    if (check(TokenKind::kLeftParen)) {
      auto columns = parseIdentifierList("a column name");
      if (!columns) return nullptr;
      create->columns = std::move(*columns);
    }
    if (acceptWord("COMMENT")) {
      std::optional<std::string> comment = parseStringLiteral("a comment string");
      if (!comment) return nullptr;
      create->comment = std::move(*comment);
    }
    if (!expectWord("AS")) return nullptr;
    create->query = parseQuery();
    if (!create->query) return nullptr;
    return create;
  }

  StatementPtr parseCreateFunction(bool temporary, bool system) {
    advance();  // FUNCTION
    auto create = std::make_unique<CreateFunction>();
    create->temporary = temporary;
    create->system = system;
    std::optional<bool> if_not_exists = parseIfNotExists();
    if (!if_not_exists) return nullptr;
    create->if_not_exists = *if_not_exists;
    std::optional<QualifiedName> name = parseQualifiedName("a function name");
    if (!name) return nullptr;
    create->name = std::move(*name);
    if (!expectWord("AS")) return nullptr;
    std::optional<std::string> class_name =
        parseStringLiteral("the implementation class name as a string");
    if (!class_name) return nullptr;
    create->class_name = std::move(*class_name);
    if (acceptWord("LANGUAGE")) {
      std::optional<Identifier> language = parseIdentifier("a language (JAVA, SCALA or PYTHON)");
      if (!language) return nullptr;
      create->language = std::move(*language);
    }
    return create;
  }

  StatementPtr parseDrop() {
    advance();  // DROP
    auto drop = std::make_unique<Drop>();
    drop->temporary = acceptWord("TEMPORARY");
    drop->system = drop->temporary && acceptWord("SYSTEM");
    if (!drop->system && acceptWord("TABLE")) {
      drop->object = ObjectKind::kTable;
    } else if (!drop->system && acceptWord("VIEW")) {
      drop->object = ObjectKind::kView;
    } else if (acceptWord("FUNCTION")) {
      drop->object = ObjectKind::kFunction;
    } else {
      return failExpected(drop->system ? "FUNCTION" : "TABLE, VIEW or FUNCTION after DROP");
    }
    if (acceptWord("IF")) {
      if (!expectWord("EXISTS")) return nullptr;
      drop->if_exists = true;
    }
    std::optional<QualifiedName> name = parseQualifiedName("a name");
    if (!name) return nullptr;
    drop->name = std::move(*name);
    return drop;
  }

  std::unique_ptr<Insert> parseInsert() {
    const Token& start = peek();
    if (!expectWord("INSERT")) return nullptr;
    auto insert = std::make_unique<Insert>();
    insert->position = start.position;
    insert->begin_offset = start.offset;
    if (acceptWord("OVERWRITE")) {
      insert->overwrite = true;
    } else if (!acceptWord("INTO")) {
      failExpected("INTO or OVERWRITE after INSERT");
      return nullptr;
    }
    std::optional<QualifiedName> table = parseQualifiedName("a table name");
    if (!table) return nullptr;
    insert->table = std::move(*table);
    if (check(TokenKind::kLeftParen) && !isQueryStart(1) && !check(TokenKind::kLeftParen, 1)) {
      auto columns = parseIdentifierList("a column name");
      if (!columns) return nullptr;
      insert->columns = std::move(*columns);
    }
    if (!isQueryStart() && !check(TokenKind::kLeftParen)) {
      failExpected("a query (SELECT, VALUES or WITH) after the INSERT target");
      return nullptr;
    }
    insert->query = parseQuery();
    if (!insert->query) return nullptr;
    insert->end_offset = last_end_;
    return insert;
  }

  // EXECUTE STATEMENT SET BEGIN insert; ... END, or BEGIN STATEMENT SET; insert; ... END.
  StatementPtr parseStatementSet() {
    bool execute = acceptWord("EXECUTE");
    if (!execute && !expectWord("BEGIN")) return nullptr;
    if (!expectWord("STATEMENT") || !expectWord("SET")) return nullptr;
    if (execute) {
      if (!expectWord("BEGIN")) return nullptr;
    } else if (!expect(TokenKind::kSemicolon, "';' after BEGIN STATEMENT SET")) {
      return nullptr;
    }
    auto set = std::make_unique<StatementSet>();
    while (!checkWord("END")) {
      if (!checkWord("INSERT")) return failExpected("INSERT or END in the statement set");
      std::unique_ptr<Insert> insert = parseInsert();
      if (!insert) return nullptr;
      set->inserts.push_back(std::move(insert));
      if (!accept(TokenKind::kSemicolon) && !checkWord("END")) {
        return failExpected("';' after the INSERT");
      }
      while (accept(TokenKind::kSemicolon)) {
      }
    }
    if (set->inserts.empty()) return failExpected("an INSERT in the statement set");
    advance();  // END
    return set;
  }

  StatementPtr parseSet() {
    advance();  // SET
    auto set = std::make_unique<SetOption>();
    if (check(TokenKind::kSemicolon) || check(TokenKind::kEndOfInput)) return set;
    std::optional<TableOption> option = parseOption();
    if (!option) return nullptr;
    set->option = std::move(*option);
    return set;
  }

  StatementPtr parseReset() {
    advance();  // RESET
    auto reset = std::make_unique<ResetOption>();
    if (check(TokenKind::kSemicolon) || check(TokenKind::kEndOfInput)) return reset;
    std::optional<std::string> key = parseStringLiteral("an option key string or the end of RESET");
    if (!key) return nullptr;
    reset->key = std::move(*key);
    return reset;
  }

  StatementPtr parseShow() {
    advance();  // SHOW
    auto show = std::make_unique<Show>();
    if (acceptWord("TABLES")) {
      show->what = ShowKind::kTables;
    } else if (acceptWord("VIEWS")) {
      show->what = ShowKind::kViews;
    } else if (acceptWord("FUNCTIONS")) {
      show->what = ShowKind::kFunctions;
    } else if (acceptWord("DATABASES")) {
      show->what = ShowKind::kDatabases;
    } else if (acceptWord("CATALOGS")) {
      show->what = ShowKind::kCatalogs;
    } else {
      return failExpected("TABLES, VIEWS, FUNCTIONS, DATABASES or CATALOGS after SHOW");
    }
    return show;
  }

  StatementPtr parseExplain() {
    advance();  // EXPLAIN
    if (acceptWord("PLAN")) {
      if (!expectWord("FOR")) return nullptr;
    }
    auto explain = std::make_unique<Explain>();
    const Token& first = peek();
    if (checkWord("STATEMENT") && checkWord("SET", 1)) {
      // EXPLAIN STATEMENT SET BEGIN ... END.
      advance();
      advance();
      if (!expectWord("BEGIN")) return nullptr;
      auto set = std::make_unique<StatementSet>();
      while (!checkWord("END")) {
        if (!checkWord("INSERT")) return failExpected("INSERT or END in the statement set");
        std::unique_ptr<Insert> insert = parseInsert();
        if (!insert) return nullptr;
        set->inserts.push_back(std::move(insert));
        if (!accept(TokenKind::kSemicolon) && !checkWord("END")) {
          return failExpected("';' after the INSERT");
        }
      }
      if (set->inserts.empty()) return failExpected("an INSERT in the statement set");
      advance();
      explain->statement = std::move(set);
    } else if (isQueryStart() || check(TokenKind::kLeftParen) || checkWord("INSERT") ||
               checkWord("EXECUTE")) {
      explain->statement = parseStatement();
    } else {
      return failExpected("a query, INSERT or STATEMENT SET after EXPLAIN");
    }
    if (!explain->statement) return nullptr;
    explain->statement->position = first.position;
    explain->statement->begin_offset = first.offset;
    explain->statement->end_offset = last_end_;
    return explain;
  }

  // --- Queries ------------------------------------------------------------------------------

  // A full query: [WITH ...] body [ORDER BY ...] [LIMIT ...] [OFFSET ...] [FETCH ...].
  QueryPtr parseQuery() {
    Nesting nesting(*this);
    if (!nesting.ok()) return nullptr;
    const Token& start = peek();
    std::vector<CommonTableExpr> with;
    if (!pending_query_ && acceptWord("WITH")) {
      do {
        CommonTableExpr cte;
        std::optional<Identifier> name = parseIdentifier("a name for the WITH query");
        if (!name) return nullptr;
        cte.name = std::move(*name);
        if (check(TokenKind::kLeftParen)) {
          auto columns = parseIdentifierList("a column name");
          if (!columns) return nullptr;
          cte.columns = std::move(*columns);
        }
        if (!expectWord("AS")) return nullptr;
        if (!check(TokenKind::kLeftParen)) {
          failExpected("'(' before the query of the WITH item");
          return nullptr;
        }
        const Token& open = advance();
        cte.query = parseQuery();
        if (!cte.query || !expectClose(open)) return nullptr;
        with.push_back(std::move(cte));
      } while (accept(TokenKind::kComma));
    }
    QueryPtr body = parseSetExpression();
    if (!body) return nullptr;
    std::vector<OrderItem> order_by;
    ExprPtr limit;
    ExprPtr offset;
    const Token& clauses_start = peek();
    if (acceptWord("ORDER")) {
      if (!expectWord("BY")) return nullptr;
      if (!parseOrderItems(order_by)) return nullptr;
    }
    if (acceptWord("LIMIT")) {
      limit = parseExpr();
      if (!limit) return nullptr;
    }
    if (acceptWord("OFFSET")) {
      offset = parseExpr();
      if (!offset) return nullptr;
      if (!acceptWord("ROWS")) acceptWord("ROW");
    }
    if (!limit && checkWord("FETCH")) {
      advance();
      if (!acceptWord("FIRST") && !acceptWord("NEXT")) {
        failExpected("FIRST or NEXT after FETCH");
        return nullptr;
      }
      limit = parseExpr();
      if (!limit) return nullptr;
      if (!acceptWord("ROWS") && !acceptWord("ROW")) {
        failExpected("ROWS after FETCH FIRST n");
        return nullptr;
      }
      if (!expectWord("ONLY")) return nullptr;
    }
    bool has_clauses = !with.empty() || !order_by.empty() || limit || offset;
    if (has_clauses && body->hasClauses()) {
      fail(with.empty() ? clauses_start.position : start.position,
           "a parenthesized query that has WITH, ORDER BY, LIMIT or OFFSET cannot take more of "
           "them; select from it as a subquery instead");
      return nullptr;
    }
    if (!with.empty()) body->position = start.position;
    body->with = std::move(with);
    body->order_by = std::move(order_by);
    body->limit = std::move(limit);
    body->offset = std::move(offset);
    if (!finish(*body)) return nullptr;
    return body;
  }

  bool parseOrderItems(std::vector<OrderItem>& items) {
    do {
      OrderItem item;
      item.expr = parseExpr();
      if (!item.expr) return false;
      if (acceptWord("ASC")) {
        item.direction = SortDirection::kAscending;
      } else if (acceptWord("DESC")) {
        item.direction = SortDirection::kDescending;
      }
      if (acceptWord("NULLS")) {
        if (acceptWord("FIRST")) {
          item.nulls = NullOrdering::kNullsFirst;
        } else if (acceptWord("LAST")) {
          item.nulls = NullOrdering::kNullsLast;
        } else {
          failExpected("FIRST or LAST after NULLS");
          return false;
        }
      }
      items.push_back(std::move(item));
    } while (accept(TokenKind::kComma));
    return true;
  }

  // UNION and EXCEPT, left-associative, over INTERSECT terms.
  QueryPtr parseSetExpression() {
    QueryPtr left = parseIntersectTerm();
    if (!left) return nullptr;
    for (;;) {
      SetOperator op;
      if (checkWord("UNION")) {
        op = SetOperator::kUnion;
      } else if (checkWord("EXCEPT") || checkWord("MINUS")) {
        op = SetOperator::kExcept;
      } else {
        return left;
      }
      left = parseSetOperationRest(std::move(left), op, /*intersect_only=*/false);
      if (!left) return nullptr;
    }
  }

  QueryPtr parseIntersectTerm() {
    QueryPtr left = parseQueryPrimary();
    if (!left) return nullptr;
    while (checkWord("INTERSECT")) {
      left = parseSetOperationRest(std::move(left), SetOperator::kIntersect, true);
      if (!left) return nullptr;
    }
    return left;
  }

  QueryPtr parseSetOperationRest(QueryPtr left, SetOperator op, bool intersect_only) {
    const Token& op_token = advance();
    auto set = std::make_unique<SetOperation>();
    set->position = op_token.position;
    set->op = op;
    if (acceptWord("ALL")) {
      set->all = true;
    } else {
      acceptWord("DISTINCT");
    }
    set->left = std::move(left);
    set->right = intersect_only ? parseQueryPrimary() : parseIntersectTerm();
    if (!set->right) return nullptr;
    if (!finish(static_cast<Query&>(*set))) return nullptr;
    return set;
  }

  QueryPtr parseQueryPrimary() {
    if (pending_query_) return std::move(pending_query_);
    if (checkWord("SELECT")) return parseSelect();
    if (checkWord("VALUES")) return parseValues();
    if (check(TokenKind::kLeftParen)) {
      Parenthesized group = parseParenthesized();
      if (!group.open) return nullptr;
      if (!group.query) {
        fail(group.exprs.front()->position,
             "expected a query (SELECT, VALUES or WITH) but found an expression");
        return nullptr;
      }
      return std::move(group.query);
    }
    if (checkWord("WITH")) {
      return fail(peek().position, "WITH must come first in a query; put this query in parentheses");
    }
    return failExpected("a query (SELECT, VALUES, WITH or '(')");
  }

  QueryPtr parseSelect() {
    const Token& start = advance();  // SELECT
    auto select = std::make_unique<SelectQuery>();
    select->position = start.position;
    if (acceptWord("DISTINCT")) {
      select->distinct = true;
    } else {
      acceptWord("ALL");
    }
    do {
      SelectItem item;
      if (size_t length = starLength()) {
        item.expr = parseStar(length);
      } else {
        item.expr = parseExpr();
        if (!item.expr) return nullptr;
        if (acceptWord("AS")) {
          std::optional<Identifier> alias = parseIdentifier("an alias name after AS");
          if (!alias) return nullptr;
          item.alias = std::move(alias);
        } else if (isIdentifier()) {
          item.alias = parseIdentifier("an alias name");
        }
      }
      select->items.push_back(std::move(item));
    } while (accept(TokenKind::kComma));
    if (acceptWord("FROM")) {
      select->from = parseFrom();
      if (!select->from) return nullptr;
    }
    if (acceptWord("WHERE")) {
      select->where = parseExpr();
      if (!select->where) return nullptr;
    }
    if (checkWord("GROUP")) {
      advance();
      if (!expectWord("BY")) return nullptr;
      do {
        ExprPtr element = parseGroupingElement();
        if (!element) return nullptr;
        select->group_by.push_back(std::move(element));
      } while (accept(TokenKind::kComma));
    }
    if (acceptWord("HAVING")) {
      select->having = parseExpr();
      if (!select->having) return nullptr;
    }
    if (checkWord("WINDOW")) {
      // Named windows are not supported; say so rather than reading WINDOW as garbage.
      if (isIdentifier(1) && checkWord("AS", 2)) {
        return fail(peek().position, "the WINDOW clause is not supported; write the window in "
                                     "OVER (...)");
      }
    }
    if (!finish(static_cast<Query&>(*select))) return nullptr;
    return select;
  }

  // The number of tokens of `*` or `name.name.*` starting here, or 0.
  size_t starLength() const {
    size_t ahead = 0;
    while (isIdentifier(ahead) && check(TokenKind::kDot, ahead + 1)) ahead += 2;
    return check(TokenKind::kStar, ahead) ? ahead + 1 : 0;
  }

  ExprPtr parseStar(size_t length) {
    auto star = std::make_unique<Star>();
    star->position = peek().position;
    for (size_t i = 0; i + 1 < length; i += 2) {
      std::optional<Identifier> part = parseIdentifier("a table name");
      star->qualifier.push_back(std::move(*part));
      advance();  // '.'
    }
    advance();  // '*'
    return star;
  }

  ExprPtr parseGroupingElement() {
    GroupingKind grouping;
    const Token& start = peek();
    if (checkWord("GROUPING") && checkWord("SETS", 1)) {
      advance();
      grouping = GroupingKind::kGroupingSets;
    } else if (checkWord("ROLLUP") && check(TokenKind::kLeftParen, 1)) {
      grouping = GroupingKind::kRollup;
    } else if (checkWord("CUBE") && check(TokenKind::kLeftParen, 1)) {
      grouping = GroupingKind::kCube;
    } else {
      return parseExpr();
    }
    advance();
    auto sets = std::make_unique<GroupingSets>();
    sets->position = start.position;
    sets->grouping = grouping;
    if (!check(TokenKind::kLeftParen)) return failExpected("'('");
    const Token& open = advance();
    do {
      ExprPtr element;
      if (check(TokenKind::kLeftParen) && check(TokenKind::kRightParen, 1)) {
        auto empty = std::make_unique<Constructor>();
        empty->position = advance().position;
        advance();
        empty->implicit_row = true;
        element = std::move(empty);
      } else if (grouping == GroupingKind::kGroupingSets &&
                 (checkWord("ROLLUP") || checkWord("CUBE") ||
                  (checkWord("GROUPING") && checkWord("SETS", 1)))) {
        Nesting nesting(*this);
        if (!nesting.ok()) return nullptr;
        element = parseGroupingElement();
      } else {
        element = parseExpr();
      }
      if (!element) return nullptr;
      sets->elements.push_back(std::move(element));
    } while (accept(TokenKind::kComma));
    if (!expectClose(open)) return nullptr;
    return finishExpr(std::move(sets));
  }

  QueryPtr parseValues() {
    const Token& start = advance();  // VALUES
    auto values = std::make_unique<ValuesQuery>();
    values->position = start.position;
    do {
      if (!check(TokenKind::kLeftParen)) {
        failExpected("'(' to start a row of VALUES");
        return nullptr;
      }
      const Token& open = advance();
      std::vector<ExprPtr> row;
      do {
        ExprPtr value = parseExpr();
        if (!value) return nullptr;
        row.push_back(std::move(value));
      } while (accept(TokenKind::kComma));
      if (!expectClose(open)) return nullptr;
      values->rows.push_back(std::move(row));
    } while (accept(TokenKind::kComma));
    if (!finish(static_cast<Query&>(*values))) return nullptr;
    return values;
  }

  // A parenthesized group where either a query or expressions may be: `(SELECT ..)`,
  // `((SELECT ..) UNION (SELECT ..))`, `((SELECT ..) + 1)`, `(a, b)`, `(a)`. Sets `open` on
  // success.
  Parenthesized parseParenthesized() {
    Parenthesized group;
    Nesting nesting(*this);
    if (!nesting.ok()) return group;
    const Token& open = advance();  // '('
    if (isQueryStart()) {
      group.query = parseQuery();
      if (!group.query || !expectClose(open)) return group;
      group.open = &open;
      return group;
    }
    ExprPtr first;
    if (check(TokenKind::kLeftParen)) {
      Parenthesized inner = parseParenthesized();
      if (!inner.open) return group;
      if (inner.query) {
        if (check(TokenKind::kRightParen)) {
          advance();
          group.query = std::move(inner.query);
          group.open = &open;
          return group;
        }
        if (atQueryContinuation()) {
          pending_query_ = std::move(inner.query);
          group.query = parseQuery();
          if (!group.query || !expectClose(open)) {
            group.query = nullptr;
            return group;
          }
          group.open = &open;
          return group;
        }
        auto subquery = std::make_unique<ScalarSubquery>();
        subquery->position = inner.open->position;
        subquery->query = std::move(inner.query);
        pending_primary_ = finishExpr(std::move(subquery));
      } else {
        pending_primary_ = makeRowOrSingle(std::move(inner));
      }
      if (!pending_primary_) return group;
    }
    first = parseExpr();
    if (!first) return group;
    group.exprs.push_back(std::move(first));
    while (accept(TokenKind::kComma)) {
      ExprPtr next = parseExpr();
      if (!next) return group;
      group.exprs.push_back(std::move(next));
    }
    if (!expectClose(open)) return group;
    group.open = &open;
    return group;
  }

  // The expression a parenthesized group of expressions stands for: the one expression, or
  // an implicit ROW of several.
  ExprPtr makeRowOrSingle(Parenthesized group) {
    if (group.query) {
      auto subquery = std::make_unique<ScalarSubquery>();
      subquery->position = group.open->position;
      subquery->query = std::move(group.query);
      return finishExpr(std::move(subquery));
    }
    if (group.exprs.size() == 1) return std::move(group.exprs.front());
    auto row = std::make_unique<Constructor>();
    row->position = group.open->position;
    row->constructor = ConstructorKind::kRow;
    row->implicit_row = true;
    row->elements = std::move(group.exprs);
    return finishExpr(std::move(row));
  }

  // --- FROM ---------------------------------------------------------------------------------

  // `ref, ref, ...` (commas bind looser than JOIN).
  TableRefPtr parseFrom() {
    TableRefPtr left = parseJoinedTable();
    if (!left) return nullptr;
    while (check(TokenKind::kComma)) {
      const Token& comma = advance();
      auto join = std::make_unique<JoinRef>();
      join->position = comma.position;
      join->join_type = JoinType::kComma;
      join->left = std::move(left);
      join->right = parseJoinedTable();
      if (!join->right || !finish(static_cast<TableRef&>(*join))) return nullptr;
      left = std::move(join);
    }
    return left;
  }

  TableRefPtr parseJoinedTable(TableRefPtr left = nullptr) {
    if (!left) left = parseTablePrimary();
    if (!left) return nullptr;
    for (;;) {
      const Token& start = peek();
      bool natural = acceptWord("NATURAL");
      JoinType type = JoinType::kInner;
      if (acceptWord("INNER")) {
        type = JoinType::kInner;
      } else if (acceptWord("LEFT")) {
        type = JoinType::kLeft;
        acceptWord("OUTER");
      } else if (acceptWord("RIGHT")) {
        type = JoinType::kRight;
        acceptWord("OUTER");
      } else if (acceptWord("FULL")) {
        type = JoinType::kFull;
        acceptWord("OUTER");
      } else if (acceptWord("CROSS")) {
        if (natural) return failExpected("JOIN after NATURAL");
        type = JoinType::kCross;
      } else if (!checkWord("JOIN")) {
        if (natural) return failExpected("JOIN after NATURAL");
        return left;
      }
      if (!expectWord("JOIN")) return nullptr;
      auto join = std::make_unique<JoinRef>();
      join->position = start.position;
      join->join_type = type;
      join->natural = natural;
      join->left = std::move(left);
      join->right = parseTablePrimary();
      if (!join->right) return nullptr;
      if (type != JoinType::kCross && !natural) {
        if (acceptWord("ON")) {
          join->condition = parseExpr();
          if (!join->condition) return nullptr;
        } else if (acceptWord("USING")) {
          auto columns = parseIdentifierList("a column name");
          if (!columns) return nullptr;
          join->using_columns = std::move(*columns);
        } else {
          return failExpected("ON or USING after the joined table");
        }
      }
      if (!finish(static_cast<TableRef&>(*join))) return nullptr;
      left = std::move(join);
    }
  }

  // `[AS] alias [(columns)]`, if present.
  bool parseTableAlias(TableRef& ref) {
    if (acceptWord("AS")) {
      ref.alias = parseIdentifier("an alias name after AS");
      if (!ref.alias) return false;
    } else if (isIdentifier()) {
      ref.alias = parseIdentifier("an alias name");
    } else {
      return true;
    }
    if (check(TokenKind::kLeftParen)) {
      auto columns = parseIdentifierList("a column alias");
      if (!columns) return false;
      ref.column_aliases = std::move(*columns);
    }
    return true;
  }

  TableRefPtr parseTablePrimary() {
    Nesting nesting(*this);
    if (!nesting.ok()) return nullptr;
    const Token& start = peek();
    bool lateral = acceptWord("LATERAL");
    if (checkWord("TABLE") && check(TokenKind::kLeftParen, 1)) {
      advance();
      const Token& open = advance();
      auto function = std::make_unique<TableFunctionRef>();
      function->position = start.position;
      function->lateral = lateral;
      ExprPtr call = parseTableFunctionCall();
      if (!call || !expectClose(open)) return nullptr;
      function->call.reset(static_cast<FunctionCall*>(call.release()));
      if (!parseTableAlias(*function) || !finish(static_cast<TableRef&>(*function))) {
        return nullptr;
      }
      return function;
    }
    if (check(TokenKind::kLeftParen) && lateral) {
      const Token& open = advance();
      auto subquery = std::make_unique<SubqueryRef>();
      subquery->position = start.position;
      subquery->lateral = true;
      subquery->query = parseQuery();
      if (!subquery->query || !expectClose(open)) return nullptr;
      if (!parseTableAlias(*subquery) || !finish(static_cast<TableRef&>(*subquery))) {
        return nullptr;
      }
      return subquery;
    }
    if (check(TokenKind::kLeftParen)) {
      TableRefPtr ref = parseParenthesizedFrom();
      if (ref || failed()) return ref;
      return wrapPendingQuery(start.position);
    }
    if (lateral) return failExpected("TABLE(...) or '(' after LATERAL");
    if (!isIdentifier()) return failExpected("a table name, '(' or TABLE(...)");
    auto table = std::make_unique<NamedTableRef>();
    table->position = start.position;
    std::optional<QualifiedName> name = parseQualifiedName("a table name");
    if (!name) return nullptr;
    table->name = std::move(*name);
    if (checkWord("FOR")) {
      advance();
      if (!expectWord("SYSTEM_TIME") || !expectWord("AS") || !expectWord("OF")) return nullptr;
      table->system_time = parseExpr();
      if (!table->system_time) return nullptr;
    }
    if (!parseTableAlias(*table) || !finish(static_cast<TableRef&>(*table))) return nullptr;
    return table;
  }

  // Whether a query continues here after a parenthesized query operand.
  bool atQueryContinuation() const {
    return checkWord("UNION") || checkWord("EXCEPT") || checkWord("MINUS") ||
           checkWord("INTERSECT") || checkWord("ORDER") || checkWord("LIMIT") ||
           checkWord("OFFSET") || checkWord("FETCH");
  }

  // `(` in FROM: a subquery `(SELECT ..)`, a query whose first operand is parenthesized
  // (`((SELECT ..) UNION ..)`), or a parenthesized join `(a JOIN b ON ..)`. A query is left in
  // pending_query_ and null returned without an error, for the caller to wrap (with its alias).
  TableRefPtr parseParenthesizedFrom() {
    Nesting nesting(*this);
    if (!nesting.ok()) return nullptr;
    const Token& open = advance();  // '('
    if (isQueryStart()) {
      QueryPtr query = parseQuery();
      if (!query || !expectClose(open)) return nullptr;
      pending_query_ = std::move(query);
      return nullptr;
    }
    TableRefPtr first;
    if (check(TokenKind::kLeftParen)) {
      first = parseParenthesizedFrom();
      if (!first && failed()) return nullptr;
      if (!first) {
        if (atQueryContinuation() || check(TokenKind::kRightParen)) {
          QueryPtr query = parseQuery();  // continues from pending_query_
          if (!query || !expectClose(open)) return nullptr;
          pending_query_ = std::move(query);
          return nullptr;
        }
        first = wrapPendingQuery(open.position);
        if (!first) return nullptr;
      }
    } else {
      first = parseTablePrimary();
    }
    TableRefPtr inner = parseJoinedTable(std::move(first));
    if (!inner) return nullptr;
    while (check(TokenKind::kComma)) {
      const Token& comma = advance();
      auto join = std::make_unique<JoinRef>();
      join->position = comma.position;
      join->join_type = JoinType::kComma;
      join->left = std::move(inner);
      join->right = parseJoinedTable();
      if (!join->right || !finish(static_cast<TableRef&>(*join))) return nullptr;
      inner = std::move(join);
    }
    if (!expectClose(open)) return nullptr;
    if (inner->kind != TableRefKind::kJoin) {
      return fail(open.position, "parentheses around a single table are not supported");
    }
    return inner;
  }

  // The query in pending_query_ as a FROM item, with its alias.
  TableRefPtr wrapPendingQuery(SourcePosition position) {
    auto subquery = std::make_unique<SubqueryRef>();
    subquery->position = position;
    subquery->query = std::move(pending_query_);
    if (!parseTableAlias(*subquery) || !finish(static_cast<TableRef&>(*subquery))) {
      return nullptr;
    }
    return subquery;
  }

  bool failed() const { return !error_.empty(); }

  // `name(args)` inside TABLE(...).
  ExprPtr parseTableFunctionCall() {
    if (!isIdentifier()) return failExpected("a table function call such as TUMBLE(...)");
    const Token& start = peek();
    std::optional<QualifiedName> name = parseQualifiedName("a function name");
    if (!name) return nullptr;
    if (!check(TokenKind::kLeftParen)) return failExpected("'(' after the table function name");
    return parseCall(std::move(*name), start.position);
  }

  // --- Expressions --------------------------------------------------------------------------

  ExprPtr parseExpr() {
    Nesting nesting(*this);
    if (!nesting.ok()) return nullptr;
    return parseOr();
  }

  ExprPtr makeBinary(BinaryOperator op, const Token& op_token, ExprPtr left, ExprPtr right) {
    auto binary = std::make_unique<Binary>();
    binary->position = op_token.position;
    binary->op = op;
    binary->left = std::move(left);
    binary->right = std::move(right);
    return finishExpr(std::move(binary));
  }

  ExprPtr parseOr() {
    ExprPtr left = parseAnd();
    while (left && checkWord("OR")) {
      const Token& op = advance();
      ExprPtr right = parseAnd();
      if (!right) return nullptr;
      left = makeBinary(BinaryOperator::kOr, op, std::move(left), std::move(right));
    }
    return left;
  }

  ExprPtr parseAnd() {
    ExprPtr left = parseNot();
    while (left && checkWord("AND")) {
      const Token& op = advance();
      ExprPtr right = parseNot();
      if (!right) return nullptr;
      left = makeBinary(BinaryOperator::kAnd, op, std::move(left), std::move(right));
    }
    return left;
  }

  ExprPtr parseNot() {
    if (!pending_primary_ && checkWord("NOT")) {
      Nesting nesting(*this);
      if (!nesting.ok()) return nullptr;
      const Token& op = advance();
      auto unary = std::make_unique<Unary>();
      unary->position = op.position;
      unary->op = UnaryOperator::kNot;
      unary->operand = parseNot();
      if (!unary->operand) return nullptr;
      return finishExpr(std::move(unary));
    }
    return parseComparison();
  }

  ExprPtr parseComparison() {
    ExprPtr left = parseAdditive();
    while (left) {
      const Token& op = peek();
      std::optional<BinaryOperator> comparison;
      switch (op.kind) {
        case TokenKind::kEquals: comparison = BinaryOperator::kEquals; break;
        case TokenKind::kNotEquals: comparison = BinaryOperator::kNotEquals; break;
        case TokenKind::kLess: comparison = BinaryOperator::kLess; break;
        case TokenKind::kLessEquals: comparison = BinaryOperator::kLessEquals; break;
        case TokenKind::kGreater: comparison = BinaryOperator::kGreater; break;
        case TokenKind::kGreaterEquals: comparison = BinaryOperator::kGreaterEquals; break;
        default: break;
      }
      if (comparison) {
        advance();
        ExprPtr right = parseAdditive();
        if (!right) return nullptr;
        left = makeBinary(*comparison, op, std::move(left), std::move(right));
        continue;
      }
      if (op.isWord("IS")) {
        left = parseIs(std::move(left));
        continue;
      }
      bool negated = false;
      if (op.isWord("NOT")) {
        if (!checkWord("BETWEEN", 1) && !checkWord("LIKE", 1) && !checkWord("IN", 1) &&
            !checkWord("SIMILAR", 1)) {
          return left;
        }
        advance();
        negated = true;
      }
      if (checkWord("BETWEEN")) {
        left = parseBetween(std::move(left), op, negated);
      } else if (checkWord("LIKE") || checkWord("SIMILAR")) {
        left = parseLike(std::move(left), op, negated);
      } else if (checkWord("IN")) {
        left = parseIn(std::move(left), op, negated);
      } else {
        return left;
      }
    }
    return nullptr;
  }

  ExprPtr parseIs(ExprPtr operand) {
    const Token& op = advance();  // IS
    bool negated = acceptWord("NOT");
    if (acceptWord("DISTINCT")) {
      if (!expectWord("FROM")) return nullptr;
      ExprPtr right = parseAdditive();
      if (!right) return nullptr;
      return makeBinary(negated ? BinaryOperator::kIsNotDistinctFrom
                                : BinaryOperator::kIsDistinctFrom,
                        op, std::move(operand), std::move(right));
    }
    auto test = std::make_unique<IsTest>();
    test->position = op.position;
    test->negated = negated;
    if (acceptWord("NULL")) {
      test->condition = IsCondition::kNull;
    } else if (acceptWord("TRUE")) {
      test->condition = IsCondition::kTrue;
    } else if (acceptWord("FALSE")) {
      test->condition = IsCondition::kFalse;
    } else if (acceptWord("UNKNOWN")) {
      test->condition = IsCondition::kUnknown;
    } else {
      return failExpected(negated ? "NULL, TRUE, FALSE, UNKNOWN or DISTINCT FROM after IS NOT"
                                  : "NULL, TRUE, FALSE, UNKNOWN, DISTINCT FROM or NOT after IS");
    }
    test->operand = std::move(operand);
    return finishExpr(std::move(test));
  }

  ExprPtr parseBetween(ExprPtr operand, const Token& start, bool negated) {
    advance();  // BETWEEN
    auto between = std::make_unique<Between>();
    between->position = start.position;
    between->negated = negated;
    if (acceptWord("SYMMETRIC")) {
      between->symmetric = true;
    } else {
      acceptWord("ASYMMETRIC");
    }
    between->operand = std::move(operand);
    between->low = parseAdditive();
    if (!between->low) return nullptr;
    if (!checkWord("AND")) return failExpected("AND in BETWEEN ... AND ...");
    advance();
    between->high = parseAdditive();
    if (!between->high) return nullptr;
    return finishExpr(std::move(between));
  }

  ExprPtr parseLike(ExprPtr operand, const Token& start, bool negated) {
    auto like = std::make_unique<Like>();
    like->position = start.position;
    like->negated = negated;
    if (acceptWord("SIMILAR")) {
      if (!expectWord("TO")) return nullptr;
      like->similar = true;
    } else {
      advance();  // LIKE
    }
    like->operand = std::move(operand);
    like->pattern = parseAdditive();
    if (!like->pattern) return nullptr;
    if (acceptWord("ESCAPE")) {
      like->escape = parseAdditive();
      if (!like->escape) return nullptr;
    }
    return finishExpr(std::move(like));
  }

  ExprPtr parseIn(ExprPtr operand, const Token& start, bool negated) {
    advance();  // IN
    if (!check(TokenKind::kLeftParen)) return failExpected("'(' after IN");
    Parenthesized group = parseParenthesized();
    if (!group.open) return nullptr;
    if (group.query) {
      auto in = std::make_unique<InSubquery>();
      in->position = start.position;
      in->negated = negated;
      in->operand = std::move(operand);
      in->query = std::move(group.query);
      return finishExpr(std::move(in));
    }
    auto in = std::make_unique<InList>();
    in->position = start.position;
    in->negated = negated;
    in->operand = std::move(operand);
    in->list = std::move(group.exprs);
    return finishExpr(std::move(in));
  }

  ExprPtr parseAdditive() {
    ExprPtr left = parseMultiplicative();
    while (left) {
      const Token& op = peek();
      BinaryOperator binary;
      if (op.kind == TokenKind::kPlus) {
        binary = BinaryOperator::kAdd;
      } else if (op.kind == TokenKind::kMinus) {
        binary = BinaryOperator::kSubtract;
      } else if (op.kind == TokenKind::kConcat) {
        binary = BinaryOperator::kConcat;
      } else {
        return left;
      }
      advance();
      ExprPtr right = parseMultiplicative();
      if (!right) return nullptr;
      left = makeBinary(binary, op, std::move(left), std::move(right));
    }
    return nullptr;
  }

  ExprPtr parseMultiplicative() {
    ExprPtr left = parseUnary();
    while (left) {
      const Token& op = peek();
      BinaryOperator binary;
      if (op.kind == TokenKind::kStar) {
        binary = BinaryOperator::kMultiply;
      } else if (op.kind == TokenKind::kSlash) {
        binary = BinaryOperator::kDivide;
      } else if (op.kind == TokenKind::kPercent) {
        binary = BinaryOperator::kModulo;
      } else {
        return left;
      }
      advance();
      ExprPtr right = parseUnary();
      if (!right) return nullptr;
      left = makeBinary(binary, op, std::move(left), std::move(right));
    }
    return nullptr;
  }

  ExprPtr parseUnary() {
    if (!pending_primary_ && (check(TokenKind::kMinus) || check(TokenKind::kPlus))) {
      Nesting nesting(*this);
      if (!nesting.ok()) return nullptr;
      const Token& op = advance();
      auto unary = std::make_unique<Unary>();
      unary->position = op.position;
      unary->op = op.kind == TokenKind::kMinus ? UnaryOperator::kNegate : UnaryOperator::kPlus;
      unary->operand = parseUnary();
      if (!unary->operand) return nullptr;
      return finishExpr(std::move(unary));
    }
    return parsePostfix();
  }

  ExprPtr parsePostfix() {
    bool parenthesized = pending_primary_ != nullptr || check(TokenKind::kLeftParen);
    ExprPtr base = parsePrimary();
    while (base) {
      if (check(TokenKind::kLeftBracket)) {
        const Token& open = advance();
        auto subscript = std::make_unique<Subscript>();
        subscript->position = open.position;
        subscript->base = std::move(base);
        subscript->index = parseExpr();
        if (!subscript->index || !expectClose(open)) return nullptr;
        base = finishExpr(std::move(subscript));
      } else if (check(TokenKind::kDot)) {
        advance();
        std::optional<Identifier> field = parseIdentifier("a field name after '.'");
        if (!field) return nullptr;
        if (base->kind == ExprKind::kColumnRef && !parenthesized) {
          base->as<ColumnRef>().names.push_back(std::move(*field));
          continue;
        }
        auto access = std::make_unique<FieldAccess>();
        access->position = field->position;
        access->base = std::move(base);
        access->field = std::move(*field);
        base = finishExpr(std::move(access));
      } else {
        return base;
      }
      parenthesized = false;
    }
    return nullptr;
  }

  ExprPtr makeLiteral(LiteralKind kind, const Token& token, std::string text = {}) {
    auto literal = std::make_unique<Literal>();
    literal->position = token.position;
    literal->literal_kind = kind;
    literal->text = std::move(text);
    return literal;
  }

  ExprPtr parsePrimary() {
    if (pending_primary_) return std::move(pending_primary_);
    const Token& token = peek();
    switch (token.kind) {
      case TokenKind::kInteger: {
        advance();
        std::optional<int64_t> value = parseInt64(token.text);
        if (!value) return makeLiteral(LiteralKind::kDecimal, token, std::string(token.text));
        ExprPtr literal = makeLiteral(LiteralKind::kInteger, token, std::string(token.text));
        literal->as<Literal>().integer_value = *value;
        return literal;
      }
      case TokenKind::kDecimal:
        advance();
        return makeLiteral(LiteralKind::kDecimal, token, std::string(token.text));
      case TokenKind::kApproximate:
        advance();
        return makeLiteral(LiteralKind::kApproximate, token, std::string(token.text));
      case TokenKind::kString:
        advance();
        return makeLiteral(LiteralKind::kString, token, decodeStringLiteral(token.text));
      case TokenKind::kBinaryString:
        advance();
        return makeLiteral(LiteralKind::kBinary, token,
                           std::string(token.text.substr(2, token.text.size() - 3)));
      case TokenKind::kLeftParen: {
        Parenthesized group = parseParenthesized();
        if (!group.open) return nullptr;
        return makeRowOrSingle(std::move(group));
      }
      case TokenKind::kQuotedIdentifier:
        return parseNameOrCall();
      case TokenKind::kWord:
        return parseWordPrimary();
      default:
        return failExpected("an expression");
    }
  }

  ExprPtr parseWordPrimary() {
    const Token& token = peek();
    if (token.isWord("TRUE") || token.isWord("FALSE")) {
      advance();
      ExprPtr literal = makeLiteral(LiteralKind::kBoolean, token);
      literal->as<Literal>().boolean_value = token.isWord("TRUE");
      return literal;
    }
    if (token.isWord("NULL")) {
      advance();
      return makeLiteral(LiteralKind::kNull, token);
    }
    if (token.isWord("UNKNOWN")) {
      advance();
      return makeLiteral(LiteralKind::kUnknown, token);
    }
    if (check(TokenKind::kString, 1)) {
      std::optional<LiteralKind> kind;
      if (token.isWord("DATE")) kind = LiteralKind::kDate;
      if (token.isWord("TIME")) kind = LiteralKind::kTime;
      if (token.isWord("TIMESTAMP")) kind = LiteralKind::kTimestamp;
      if (token.isWord("TIMESTAMP_LTZ")) kind = LiteralKind::kTimestampLtz;
      if (kind) {
        advance();
        return makeLiteral(*kind, token, decodeStringLiteral(advance().text));
      }
    }
    if (token.isWord("INTERVAL")) return parseIntervalLiteral();
    if (token.isWord("CASE")) return parseCase();
    if (token.isWord("CAST") || token.isWord("TRY_CAST")) return parseCast();
    if (token.isWord("EXISTS")) {
      advance();
      if (!check(TokenKind::kLeftParen)) return failExpected("'(' after EXISTS");
      const Token& open = advance();
      auto exists = std::make_unique<Exists>();
      exists->position = token.position;
      exists->query = parseQuery();
      if (!exists->query || !expectClose(open)) return nullptr;
      return finishExpr(std::move(exists));
    }
    if (token.isWord("ARRAY") || token.isWord("MAP")) {
      advance();
      if (!check(TokenKind::kLeftBracket)) {
        return failExpected(token.isWord("ARRAY") ? "'[' after ARRAY" : "'[' after MAP");
      }
      const Token& open = advance();
      auto constructor = std::make_unique<Constructor>();
      constructor->position = token.position;
      constructor->constructor =
          token.isWord("ARRAY") ? ConstructorKind::kArray : ConstructorKind::kMap;
      if (!check(TokenKind::kRightBracket)) {
        if (!parseExprList(constructor->elements)) return nullptr;
      }
      if (!expectClose(open)) return nullptr;
      if (constructor->constructor == ConstructorKind::kMap &&
          constructor->elements.size() % 2 != 0) {
        return fail(token.position, "MAP[...] needs an even number of elements: key, value, ...");
      }
      return finishExpr(std::move(constructor));
    }
    if (token.isWord("ROW") && check(TokenKind::kLeftParen, 1)) {
      advance();
      const Token& open = advance();
      auto row = std::make_unique<Constructor>();
      row->position = token.position;
      row->constructor = ConstructorKind::kRow;
      if (!check(TokenKind::kRightParen)) {
        if (!parseExprList(row->elements)) return nullptr;
      }
      if (!expectClose(open)) return nullptr;
      return finishExpr(std::move(row));
    }
    if (token.isWord("CURRENT_TIMESTAMP") || token.isWord("CURRENT_DATE") ||
        token.isWord("CURRENT_TIME") || token.isWord("LOCALTIMESTAMP") ||
        token.isWord("LOCALTIME")) {
      advance();
      auto call = std::make_unique<FunctionCall>();
      call->position = token.position;
      call->syntax = CallSyntax::kNiladic;
      call->name.push_back(Identifier{std::string(token.text), false, token.position});
      return call;
    }
    if (check(TokenKind::kLeftParen, 1)) {
      if (token.isWord("EXTRACT")) return parseExtract();
      if (token.isWord("TRIM")) return parseTrim();
      if (token.isWord("SUBSTRING") || token.isWord("POSITION") || token.isWord("OVERLAY")) {
        return parseKeywordCall();
      }
    }
    if (reservedAt()) return failExpected("an expression");
    return parseNameOrCall();
  }

  bool parseExprList(std::vector<ExprPtr>& list) {
    do {
      ExprPtr expr = parseExpr();
      if (!expr) return false;
      list.push_back(std::move(expr));
    } while (accept(TokenKind::kComma));
    return true;
  }

  // A column path `a.b.c` or a call `f(...)`/`db.f(...)`.
  ExprPtr parseNameOrCall() {
    const Token& start = peek();
    std::optional<QualifiedName> names = parseQualifiedName("a name");
    if (!names) return nullptr;
    if (check(TokenKind::kLeftParen)) return parseCall(std::move(*names), start.position);
    auto column = std::make_unique<ColumnRef>();
    column->position = start.position;
    column->names = std::move(*names);
    return column;
  }

  // `(args) [FILTER (WHERE ..)] [OVER (..)]` after a function name.
  ExprPtr parseCall(QualifiedName name, SourcePosition position) {
    Nesting nesting(*this);
    if (!nesting.ok()) return nullptr;
    const Token& open = advance();  // '('
    auto call = std::make_unique<FunctionCall>();
    call->position = position;
    call->name = std::move(name);
    if (!check(TokenKind::kRightParen)) {
      if (acceptWord("DISTINCT")) {
        call->distinct = true;
      } else {
        acceptWord("ALL");
      }
      if (check(TokenKind::kStar) && check(TokenKind::kRightParen, 1)) {
        auto star = std::make_unique<Star>();
        star->position = advance().position;
        call->args.push_back(std::move(star));
      } else {
        do {
          ExprPtr arg = parseArgument();
          if (!arg) return nullptr;
          call->args.push_back(std::move(arg));
        } while (accept(TokenKind::kComma));
      }
    }
    if (!expectClose(open)) return nullptr;
    if (checkWord("FILTER")) {
      advance();
      if (!check(TokenKind::kLeftParen)) return failExpected("'(' after FILTER");
      const Token& filter_open = advance();
      if (!expectWord("WHERE")) return nullptr;
      call->filter = parseExpr();
      if (!call->filter || !expectClose(filter_open)) return nullptr;
    }
    if (checkWord("OVER")) {
      advance();
      call->over = parseWindowSpec();
      if (!call->over) return nullptr;
    }
    return finishExpr(std::move(call));
  }

  // A function argument: `name => value`, `TABLE t`, `DESCRIPTOR(a, b)` or an expression.
  ExprPtr parseArgument() {
    if (isIdentifier() && check(TokenKind::kArrow, 1)) {
      auto named = std::make_unique<NamedArgument>();
      named->position = peek().position;
      named->name = *parseIdentifier("an argument name");
      advance();  // =>
      named->value = parseArgumentValue();
      if (!named->value) return nullptr;
      return finishExpr(std::move(named));
    }
    return parseArgumentValue();
  }

  ExprPtr parseArgumentValue() {
    const Token& start = peek();
    if (start.isWord("TABLE")) {
      advance();
      auto table = std::make_unique<TableArgument>();
      table->position = start.position;
      std::optional<QualifiedName> name = parseQualifiedName("a table name after TABLE");
      if (!name) return nullptr;
      table->table = std::move(*name);
      if (checkWord("PARTITION") && checkWord("BY", 1)) {
        // One key, or several in parentheses: a comma would end the argument.
        advance();
        advance();
        ExprPtr keys = parseExpr();
        if (!keys) return nullptr;
        if (keys->kind == ExprKind::kConstructor && keys->as<Constructor>().implicit_row &&
            !keys->as<Constructor>().elements.empty()) {
          table->partition_by = std::move(keys->as<Constructor>().elements);
        } else {
          table->partition_by.push_back(std::move(keys));
        }
      }
      return finishExpr(std::move(table));
    }
    if (start.isWord("DESCRIPTOR")) {
      advance();
      auto descriptor = std::make_unique<Descriptor>();
      descriptor->position = start.position;
      auto columns = parseIdentifierList("a column name");
      if (!columns) return nullptr;
      descriptor->columns = std::move(*columns);
      return descriptor;
    }
    return parseExpr();
  }

  std::unique_ptr<WindowSpec> parseWindowSpec() {
    if (!check(TokenKind::kLeftParen)) {
      failExpected("'(' after OVER (named windows are not supported)");
      return nullptr;
    }
    const Token& open = advance();
    auto spec = std::make_unique<WindowSpec>();
    if (acceptWord("PARTITION")) {
      if (!expectWord("BY")) return nullptr;
      if (!parseExprList(spec->partition_by)) return nullptr;
    }
    if (acceptWord("ORDER")) {
      if (!expectWord("BY")) return nullptr;
      if (!parseOrderItems(spec->order_by)) return nullptr;
    }
    if (checkWord("ROWS") || checkWord("RANGE")) {
      WindowFrame frame;
      frame.unit = advance().isWord("ROWS") ? FrameUnit::kRows : FrameUnit::kRange;
      if (acceptWord("BETWEEN")) {
        if (!parseFrameBound(frame.start)) return nullptr;
        if (!expectWord("AND")) return nullptr;
        FrameBound end;
        if (!parseFrameBound(end)) return nullptr;
        frame.end = std::move(end);
      } else if (!parseFrameBound(frame.start)) {
        return nullptr;
      }
      spec->frame = std::move(frame);
    }
    if (!expectClose(open)) return nullptr;
    return spec;
  }

  bool parseFrameBound(FrameBound& bound) {
    if (acceptWord("UNBOUNDED")) {
      if (acceptWord("PRECEDING")) {
        bound.kind = FrameBoundKind::kUnboundedPreceding;
      } else if (acceptWord("FOLLOWING")) {
        bound.kind = FrameBoundKind::kUnboundedFollowing;
      } else {
        failExpected("PRECEDING or FOLLOWING after UNBOUNDED");
        return false;
      }
      return true;
    }
    if (checkWord("CURRENT") && checkWord("ROW", 1)) {
      advance();
      advance();
      bound.kind = FrameBoundKind::kCurrentRow;
      return true;
    }
    bound.offset = parseAdditive();
    if (!bound.offset) return false;
    if (acceptWord("PRECEDING")) {
      bound.kind = FrameBoundKind::kPreceding;
    } else if (acceptWord("FOLLOWING")) {
      bound.kind = FrameBoundKind::kFollowing;
    } else {
      failExpected("PRECEDING or FOLLOWING after the frame offset");
      return false;
    }
    return true;
  }

  ExprPtr parseCase() {
    const Token& start = advance();  // CASE
    auto case_expr = std::make_unique<Case>();
    case_expr->position = start.position;
    if (!checkWord("WHEN")) {
      case_expr->operand = parseExpr();
      if (!case_expr->operand) return nullptr;
    }
    while (acceptWord("WHEN")) {
      WhenClause when;
      when.when = parseExpr();
      if (!when.when) return nullptr;
      if (!expectWord("THEN")) return nullptr;
      when.then = parseExpr();
      if (!when.then) return nullptr;
      case_expr->whens.push_back(std::move(when));
    }
    if (case_expr->whens.empty()) return failExpected("WHEN in CASE");
    if (acceptWord("ELSE")) {
      case_expr->else_result = parseExpr();
      if (!case_expr->else_result) return nullptr;
    }
    if (!checkWord("END")) {
      std::string what("END to close CASE opened at line ");
      what.append(std::to_string(start.position.line))
          .append(", column ")
          .append(std::to_string(start.position.column));
      return failExpected(case_expr->else_result ? what : std::string("WHEN, ELSE or ").append(what));
    }
    advance();
    return finishExpr(std::move(case_expr));
  }

  ExprPtr parseCast() {
    const Token& start = advance();  // CAST or TRY_CAST
    if (!check(TokenKind::kLeftParen)) return failExpected("'(' after CAST");
    const Token& open = advance();
    auto cast = std::make_unique<Cast>();
    cast->position = start.position;
    cast->try_cast = start.isWord("TRY_CAST");
    cast->operand = parseExpr();
    if (!cast->operand) return nullptr;
    if (!expectWord("AS")) return nullptr;
    cast->type = parseType();
    if (!cast->type || !expectClose(open)) return nullptr;
    return finishExpr(std::move(cast));
  }

  ExprPtr parseExtract() {
    const Token& start = advance();  // EXTRACT
    const Token& open = advance();   // '('
    auto extract = std::make_unique<Extract>();
    extract->position = start.position;
    std::optional<TimeUnit> unit = timeUnitOf(peek());
    if (!unit) {
      return failExpected("a time unit (YEAR, QUARTER, MONTH, WEEK, DAY, HOUR, MINUTE, SECOND, "
                          "DOW, DOY, EPOCH, ...)");
    }
    advance();
    extract->unit = *unit;
    if (!expectWord("FROM")) return nullptr;
    extract->operand = parseExpr();
    if (!extract->operand || !expectClose(open)) return nullptr;
    return finishExpr(std::move(extract));
  }

  ExprPtr parseTrim() {
    const Token& start = advance();  // TRIM
    const Token& open = advance();   // '('
    auto trim = std::make_unique<Trim>();
    trim->position = start.position;
    bool mode_given = true;
    if (acceptWord("BOTH")) {
      trim->mode = TrimMode::kBoth;
    } else if (acceptWord("LEADING")) {
      trim->mode = TrimMode::kLeading;
    } else if (acceptWord("TRAILING")) {
      trim->mode = TrimMode::kTrailing;
    } else {
      mode_given = false;
    }
    if (mode_given && acceptWord("FROM")) {
      trim->operand = parseExpr();
    } else {
      ExprPtr first = parseExpr();
      if (!first) return nullptr;
      if (acceptWord("FROM")) {
        trim->characters = std::move(first);
        trim->operand = parseExpr();
      } else if (mode_given) {
        return failExpected("FROM in TRIM");
      } else {
        trim->operand = std::move(first);
      }
    }
    if (!trim->operand || !expectClose(open)) return nullptr;
    return finishExpr(std::move(trim));
  }

  // SUBSTRING(s FROM a [FOR b]) / SUBSTRING(s, a[, b]), POSITION(a IN b),
  // OVERLAY(s PLACING r FROM a [FOR b]).
  ExprPtr parseKeywordCall() {
    const Token& start = peek();
    advance();  // the name
    const Token& open = advance();  // '('
    auto call = std::make_unique<FunctionCall>();
    call->position = start.position;
    call->syntax = CallSyntax::kKeywords;
    call->name.push_back(Identifier{std::string(start.text), false, start.position});
    auto add = [&](ExprPtr arg) {
      if (!arg) return false;
      call->args.push_back(std::move(arg));
      return true;
    };
    if (start.isWord("POSITION")) {
      if (!add(parseAdditive()) || !expectWord("IN") || !add(parseExpr())) return nullptr;
    } else if (start.isWord("SUBSTRING")) {
      if (check(TokenKind::kRightParen)) return failExpected("an expression");
      if (!add(parseExpr())) return nullptr;
      if (check(TokenKind::kComma) || check(TokenKind::kRightParen)) {
        // SUBSTRING(s, a[, b]): an ordinary call.
        call->syntax = CallSyntax::kNormal;
        while (accept(TokenKind::kComma)) {
          if (!add(parseArgument())) return nullptr;
        }
      } else {
        if (!expectWord("FROM") || !add(parseExpr())) return nullptr;
        if (acceptWord("FOR") && !add(parseExpr())) return nullptr;
      }
    } else {
      if (!add(parseExpr()) || !expectWord("PLACING") || !add(parseExpr()) ||
          !expectWord("FROM") || !add(parseExpr())) {
        return nullptr;
      }
      if (acceptWord("FOR") && !add(parseExpr())) return nullptr;
    }
    if (!expectClose(open)) return nullptr;
    return finishExpr(std::move(call));
  }

  ExprPtr parseIntervalLiteral() {
    const Token& start = advance();  // INTERVAL
    bool negative = false;
    if (check(TokenKind::kMinus) && check(TokenKind::kString, 1)) {
      advance();
      negative = true;
    }
    if (!check(TokenKind::kString)) {
      return failExpected("a string after INTERVAL, as in INTERVAL '10' SECOND");
    }
    std::string text = decodeStringLiteral(advance().text);
    if (negative) text = std::string("-").append(text);
    std::optional<IntervalQualifier> qualifier = parseIntervalQualifier();
    if (!qualifier) return nullptr;
    ExprPtr literal = makeLiteral(LiteralKind::kInterval, start, std::move(text));
    literal->as<Literal>().interval = *qualifier;
    return literal;
  }

  std::optional<IntervalQualifier> parseIntervalQualifier() {
    IntervalQualifier qualifier;
    std::optional<TimeUnit> start = timeUnitOf(peek());
    if (!start || !isIntervalUnit(*start)) {
      failExpected("an interval unit (YEAR, QUARTER, MONTH, WEEK, DAY, HOUR, MINUTE or SECOND)");
      return std::nullopt;
    }
    advance();
    qualifier.start = *start;
    if (check(TokenKind::kLeftParen)) {
      const Token& open = advance();
      std::optional<int64_t> precision = parseUnsignedInteger("a precision");
      if (!precision) return std::nullopt;
      qualifier.start_precision = precision;
      if (*start == TimeUnit::kSecond && accept(TokenKind::kComma)) {
        std::optional<int64_t> fraction = parseUnsignedInteger("a fractional second precision");
        if (!fraction) return std::nullopt;
        qualifier.fractional_precision = fraction;
      }
      if (!expectClose(open)) return std::nullopt;
    }
    if (acceptWord("TO")) {
      std::optional<TimeUnit> end = timeUnitOf(peek());
      if (!end || !isIntervalRange(*start, *end) || qualifier.fractional_precision) {
        failExpected(std::string("a unit after ")
                         .append(timeUnitName(*start))
                         .append(" TO (YEAR TO MONTH, or DAY, HOUR or MINUTE TO HOUR, MINUTE or "
                                 "SECOND)"));
        return std::nullopt;
      }
      advance();
      qualifier.end = *end;
      if (*end == TimeUnit::kSecond && check(TokenKind::kLeftParen)) {
        const Token& open = advance();
        std::optional<int64_t> fraction = parseUnsignedInteger("a fractional second precision");
        if (!fraction || !expectClose(open)) return std::nullopt;
        qualifier.fractional_precision = fraction;
      }
    }
    return qualifier;
  }

  // --- Data types ---------------------------------------------------------------------------

  // Optional `(n)` or `(p, s)` parameters, at most `max_count`.
  bool parseTypeParameters(DataType& type, size_t max_count) {
    if (!check(TokenKind::kLeftParen)) return true;
    const Token& open = advance();
    do {
      std::optional<int64_t> value = parseUnsignedInteger("an integer type parameter");
      if (!value) return false;
      type.parameters.push_back(*value);
    } while (type.parameters.size() < max_count && accept(TokenKind::kComma));
    return expectClose(open);
  }

  std::unique_ptr<DataType> parseType() {
    Nesting nesting(*this);
    if (!nesting.ok()) return nullptr;
    const Token& start = peek();
    auto type = std::make_unique<DataType>();
    type->position = start.position;
    if (start.kind != TokenKind::kWord) {
      failExpected("a data type");
      return nullptr;
    }
    struct Simple {
      std::string_view word;
      TypeKind kind;
      size_t max_parameters;
    };
    static constexpr Simple kSimpleTypes[] = {
        {"BOOLEAN", TypeKind::kBoolean, 0}, {"TINYINT", TypeKind::kTinyInt, 0},
        {"SMALLINT", TypeKind::kSmallInt, 0}, {"INT", TypeKind::kInt, 0},
        {"INTEGER", TypeKind::kInt, 0},     {"BIGINT", TypeKind::kBigInt, 0},
        {"FLOAT", TypeKind::kFloat, 0},     {"REAL", TypeKind::kFloat, 0},
        {"DECIMAL", TypeKind::kDecimal, 2}, {"DEC", TypeKind::kDecimal, 2},
        {"NUMERIC", TypeKind::kDecimal, 2}, {"VARCHAR", TypeKind::kVarChar, 1},
        {"STRING", TypeKind::kString, 0},   {"BINARY", TypeKind::kBinary, 1},
        {"VARBINARY", TypeKind::kVarBinary, 1}, {"BYTES", TypeKind::kBytes, 0},
        {"DATE", TypeKind::kDate, 0},       {"TIMESTAMP_LTZ", TypeKind::kTimestampLtz, 1},
    };
    bool matched = false;
    for (const Simple& simple : kSimpleTypes) {
      if (start.isWord(simple.word)) {
        advance();
        type->kind = simple.kind;
        if (simple.max_parameters > 0 && !parseTypeParameters(*type, simple.max_parameters)) {
          return nullptr;
        }
        matched = true;
        break;
      }
    }
    if (matched) {
      // handled above
    } else if (acceptWord("DOUBLE")) {
      type->kind = TypeKind::kDouble;
      acceptWord("PRECISION");
    } else if (acceptWord("CHAR") || acceptWord("CHARACTER")) {
      type->kind = acceptWord("VARYING") ? TypeKind::kVarChar : TypeKind::kChar;
      if (!parseTypeParameters(*type, 1)) return nullptr;
    } else if (acceptWord("TIME")) {
      type->kind = TypeKind::kTime;
      if (!parseTypeParameters(*type, 1)) return nullptr;
      if (checkWord("WITHOUT")) {
        advance();
        if (!expectWord("TIME") || !expectWord("ZONE")) return nullptr;
      }
    } else if (acceptWord("TIMESTAMP")) {
      type->kind = TypeKind::kTimestamp;
      if (!parseTypeParameters(*type, 1)) return nullptr;
      if (acceptWord("WITHOUT")) {
        if (!expectWord("TIME") || !expectWord("ZONE")) return nullptr;
      } else if (checkWord("WITH") && (checkWord("LOCAL", 1) || checkWord("TIME", 1))) {
        advance();
        if (!checkWord("LOCAL")) {
          return fail(peek().position,
                      "TIMESTAMP WITH TIME ZONE is not supported; use TIMESTAMP WITH LOCAL TIME "
                      "ZONE");
        }
        advance();
        if (!expectWord("TIME") || !expectWord("ZONE")) return nullptr;
        type->kind = TypeKind::kTimestampLtz;
      }
    } else if (acceptWord("INTERVAL")) {
      type->kind = TypeKind::kInterval;
      std::optional<IntervalQualifier> qualifier = parseIntervalQualifier();
      if (!qualifier) return nullptr;
      type->interval = *qualifier;
    } else if (checkWord("ROW") &&
               (check(TokenKind::kLess, 1) || check(TokenKind::kLeftParen, 1))) {
      advance();
      type->kind = TypeKind::kRow;
      bool angle = check(TokenKind::kLess);
      const Token& open = advance();
      TokenKind close = angle ? TokenKind::kGreater : TokenKind::kRightParen;
      if (!check(close)) {
        do {
          RowField field;
          std::optional<Identifier> name = parseIdentifier("a field name");
          if (!name) return nullptr;
          field.name = std::move(*name);
          field.type = parseType();
          if (!field.type) return nullptr;
          if (check(TokenKind::kString)) field.description = decodeStringLiteral(advance().text);
          type->fields.push_back(std::move(field));
        } while (accept(TokenKind::kComma));
      }
      if (!closeAngleOrParen(open, angle)) return nullptr;
    } else if (checkWord("ARRAY") || checkWord("MULTISET") || checkWord("MAP")) {
      const Token& name = advance();
      type->kind = name.isWord("ARRAY")      ? TypeKind::kArray
                   : name.isWord("MULTISET") ? TypeKind::kMultiset
                                             : TypeKind::kMap;
      if (!check(TokenKind::kLess)) {
        failExpected(std::string("'<' after ").append(toUpperAscii(name.text)));
        return nullptr;
      }
      const Token& open = advance();
      size_t count = type->kind == TypeKind::kMap ? 2 : 1;
      for (size_t i = 0; i < count; ++i) {
        if (i > 0 && !expect(TokenKind::kComma, "',' between the key and value types of MAP")) {
          return nullptr;
        }
        std::unique_ptr<DataType> element = parseType();
        if (!element) return nullptr;
        type->element_types.push_back(std::move(element));
      }
      if (!closeAngleOrParen(open, true)) return nullptr;
    } else {
      failExpected("a data type");
      return nullptr;
    }
    if (checkWord("NOT") && checkWord("NULL", 1)) {
      advance();
      advance();
      type->not_null = true;
    } else if (checkWord("NULL")) {
      advance();
    }
    return type;
  }

  bool closeAngleOrParen(const Token& open, bool angle) {
    if (!angle) return expectClose(open);
    if (accept(TokenKind::kGreater)) return true;
    std::string what("'>' to close '<' opened at line ");
    what.append(std::to_string(open.position.line))
        .append(", column ")
        .append(std::to_string(open.position.column));
    failExpected(what);
    return false;
  }

  std::string_view sql_;
  std::vector<Token> tokens_;
  std::vector<bool> reserved_;
  size_t pos_ = 0;
  size_t last_end_ = 0;  // end offset of the last token consumed
  int depth_ = 0;
  std::string error_;
  // A primary expression or query already parsed while telling a parenthesized query from a
  // parenthesized expression; the next parsePrimary()/parseQueryPrimary() returns it.
  ExprPtr pending_primary_;
  QueryPtr pending_query_;
};

}  // namespace

Result<std::vector<StatementPtr>> parseScript(std::string_view sql) {
  Result<std::vector<Token>> tokens = tokenize(sql);
  if (!tokens.isOk()) return tokens.status();
  return Parser(sql, std::move(tokens.value())).script();
}

Result<StatementPtr> parseStatement(std::string_view sql) {
  Result<std::vector<Token>> tokens = tokenize(sql);
  if (!tokens.isOk()) return tokens.status();
  return Parser(sql, std::move(tokens.value())).singleStatement();
}

Result<ExprPtr> parseExpression(std::string_view sql) {
  Result<std::vector<Token>> tokens = tokenize(sql);
  if (!tokens.isOk()) return tokens.status();
  return Parser(sql, std::move(tokens.value())).singleExpression();
}

}  // namespace caudal::sql::ast
