"""The Python side of testpace-optimize's analysis, run once per invocation by the machine's python3.

Parses every Python test file with the standard ast module and answers in JSON.
Input (stdin): {"files": ["/abs/a.py", ...]}. Output (stdout): one JSON array, one entry per file:
{"file", "error"?: {"line", "message"}, "imports": [...], "tests": [...], "fixtures": [...], "hits": [...]}.
Only the standard library: it runs under python3 -I, outside the user's environment.
"""
import ast
import hashlib
import json
import sys

SLEEPS = {"time.sleep", "asyncio.sleep", "trio.sleep", "anyio.sleep", "gevent.sleep", "eventlet.sleep"}
HTTP_VERBS = {"get", "post", "put", "patch", "delete", "head", "options", "request", "stream", "send", "urlopen"}
NETWORK_PREFIXES = ("requests.", "httpx.", "urllib3.", "aiohttp.", "websockets.", "grpc.")
NETWORK_EXACT = {"urllib.request.urlopen", "socket.create_connection", "socket.getaddrinfo", "socket.gethostbyname",
                 "smtplib.SMTP", "smtplib.SMTP_SSL", "ftplib.FTP", "telnetlib.Telnet", "paramiko.SSHClient().connect"}
SOCKET_CONNECTS = {"connect", "connect_ex", "sendto"}
NETWORK_CLIENTS = {"requests.Session()", "httpx.Client()", "httpx.AsyncClient()", "aiohttp.ClientSession()",
                   "urllib3.PoolManager()", "http.client.HTTPConnection()", "http.client.HTTPSConnection()"}
DATABASE = {"psycopg.connect", "psycopg2.connect", "psycopg.AsyncConnection.connect", "asyncpg.connect",
            "asyncpg.create_pool", "pymysql.connect", "MySQLdb.connect", "mysql.connector.connect", "aiomysql.connect",
            "sqlalchemy.create_engine", "sqlalchemy.ext.asyncio.create_async_engine", "redis.Redis", "redis.StrictRedis",
            "redis.from_url", "redis.asyncio.Redis", "redis.asyncio.from_url", "pymongo.MongoClient",
            "motor.motor_asyncio.AsyncIOMotorClient", "sqlite3.connect", "aiosqlite.connect", "cassandra.cluster.Cluster",
            "elasticsearch.Elasticsearch", "peewee.PostgresqlDatabase", "peewee.MySQLDatabase"}
SUBPROCESS = {"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output", "subprocess.Popen",
              "subprocess.getoutput", "subprocess.getstatusoutput", "os.system", "os.popen", "os.fork",
              "asyncio.create_subprocess_exec", "asyncio.create_subprocess_shell", "pexpect.spawn", "pexpect.run"}
SUBPROCESS_PREFIXES = ("os.exec", "os.spawn", "os.posix_spawn")
ENV_CALLS = {"os.environ.update", "os.environ.setdefault", "os.environ.pop", "os.environ.clear", "os.environ.popitem",
             "os.putenv", "os.unsetenv", "os.environ.__setitem__", "os.environ.__delitem__"}
MUTATORS = {"append", "extend", "insert", "remove", "pop", "popitem", "clear", "update", "setdefault", "add", "discard",
            "sort", "reverse", "__setitem__", "__delitem__", "appendleft", "extendleft"}
PATH_WRITES = {"write_text", "write_bytes", "touch", "mkdir", "unlink", "rmdir", "rename", "replace", "symlink_to",
               "hardlink_to"}
FILE_FUNCS_DEST0 = {"os.remove", "os.unlink", "os.mkdir", "os.makedirs", "os.rmdir", "shutil.rmtree", "os.rename",
                    "os.replace"}
FILE_FUNCS_DEST1 = {"shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.copytree", "shutil.move"}
# Builtins that shadow nothing: a bare name we never saw imported or assigned keeps its own name.
BUILTINS = {"open"}


def const_number(node, consts):
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return float(node.value)
    if isinstance(node, ast.Name) and node.id in consts:
        return consts[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = const_number(node.operand, consts)
        return None if inner is None else -inner
    if isinstance(node, ast.BinOp):
        left, right = const_number(node.left, consts), const_number(node.right, consts)
        if left is None or right is None:
            return None
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        if isinstance(node.op, ast.Div) and right:
            return left / right
    return None


def const_string(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and all(isinstance(v, ast.Constant) for v in node.values):
        return "".join(str(v.value) for v in node.values)
    return None


class Scope:
    """Names visible in one function: imports (module level and local) and what local names were bound to."""

    def __init__(self, aliases, parent=None):
        self.aliases = dict(aliases)
        self.instances = {}
        self.parent = parent

    def lookup(self, name):
        scope = self
        while scope is not None:
            if name in scope.instances:
                return scope.instances[name]
            if name in scope.aliases:
                return scope.aliases[name]
            scope = scope.parent
        return None


def qualname(node, scope):
    """The dotted name an expression refers to: os.environ, requests.Session().get, pathlib.Path()."""
    if isinstance(node, ast.Name):
        found = scope.lookup(node.id)
        if found is not None:
            return found
        return node.id if node.id in BUILTINS else None
    if isinstance(node, ast.Attribute):
        base = qualname(node.value, scope)
        return None if base is None else base + "." + node.attr
    if isinstance(node, ast.Call):
        base = qualname(node.func, scope)
        return None if base is None else base + "()"
    return None


def is_network(name, last):
    """A call that leaves the process: a client library's request, a socket's connect."""
    if name in NETWORK_EXACT or (name.startswith(NETWORK_PREFIXES) and last in HTTP_VERBS and "()" not in name):
        return True
    if any(name.startswith(client + ".") for client in NETWORK_CLIENTS) and last in HTTP_VERBS:
        return True
    return name == "socket.socket()." + last and last in SOCKET_CONNECTS


def root_name(node):
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def collect_imports(body, aliases, modules):
    for node in body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    aliases[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    aliases[top] = top
                modules.add(alias.name)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                aliases[alias.asname or alias.name] = node.module + "." + alias.name
            modules.add(node.module)
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            for alias in node.names:
                aliases[alias.asname or alias.name] = "." * node.level + (node.module or "") + "." + alias.name


class Walker(ast.NodeVisitor):
    """Finds the calls and writes of one test or fixture body."""

    def __init__(self, scope, owner, consts, imported, hits, sleepers=None):
        self.sleepers = sleepers or {}
        self.scope = scope
        self.owner = owner
        self.consts = consts
        self.imported = imported
        self.hits = hits
        self.finally_depth = 0
        self.local_names = set()
        self.params = set()
        self.mutated = set()

    def hit(self, rule, node, detail, line=None):
        self.hits.append({"rule": rule, "line": line or node.lineno, "column": node.col_offset + 1, "owner": self.owner,
                          "detail": detail, "restore": self.finally_depth > 0})

    def visit_FunctionDef(self, node):
        inner = Walker(Scope({}, self.scope), self.owner, self.consts, self.imported, self.hits, self.sleepers)
        for arg in node.args.args + node.args.kwonlyargs:
            inner.local_names.add(arg.arg)
        for statement in node.body:
            inner.visit(statement)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node):
        self.visit(node.body)

    def visit_Import(self, node):
        modules = set()
        collect_imports([node], self.scope.aliases, modules)

    visit_ImportFrom = visit_Import

    def visit_Try(self, node):
        for part in node.body + node.handlers + node.orelse:
            self.visit(part)
        self.finally_depth += 1
        for part in node.finalbody:
            self.visit(part)
        self.finally_depth -= 1

    visit_TryStar = visit_Try

    def bind(self, target, value):
        if isinstance(target, ast.Name):
            self.local_names.add(target.id)
            kind = qualname(value, self.scope) if isinstance(value, ast.Call) else None
            if kind is not None:
                self.scope.instances[target.id] = kind
            else:
                self.scope.instances.pop(target.id, None)
                self.scope.aliases.pop(target.id, None)

    def visit_With(self, node):
        for item in node.items:
            self.visit(item.context_expr)
            if item.optional_vars is not None:
                self.bind(item.optional_vars, item.context_expr)
        for statement in node.body:
            self.visit(statement)

    visit_AsyncWith = visit_With

    def visit_Assign(self, node):
        self.visit(node.value)
        for target in node.targets:
            self.check_write(target, node)
            self.bind(target, node.value)

    def visit_AnnAssign(self, node):
        if node.value is not None:
            self.visit(node.value)
            self.check_write(node.target, node)
            self.bind(node.target, node.value)

    def visit_AugAssign(self, node):
        self.visit(node.value)
        self.check_write(node.target, node)

    def visit_Delete(self, node):
        for target in node.targets:
            self.check_write(target, node)

    def visit_Global(self, node):
        for name in node.names:
            self.hit("parallel-unsafe", node, {"kind": "module-global", "name": name})

    def check_write(self, target, node):
        if isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self.check_write(element, node)
            return
        if not isinstance(target, (ast.Subscript, ast.Attribute)):
            return
        if root_name(target) in self.params:
            self.mutated.add(root_name(target))
        base = qualname(target.value, self.scope)
        if base == "os.environ":
            key = const_string(target.slice) if isinstance(target, ast.Subscript) else None
            self.hit("parallel-unsafe", node, {"kind": "env", "name": key or "?"})
            return
        self.check_global_mutation(target.value, node, "=")

    def check_global_mutation(self, value, node, how):
        name = root_name(value)
        if name is None or name in self.local_names or name not in self.imported:
            return
        module = self.imported[name]
        shown = value.attr if isinstance(value, ast.Attribute) else name
        if isinstance(value, ast.Subscript):
            inner = value.value
            shown = inner.attr if isinstance(inner, ast.Attribute) else (inner.id if isinstance(inner, ast.Name) else name)
        self.hit("parallel-unsafe", node, {"kind": "module-global", "name": shown, "module": module, "how": how})

    def visit_Call(self, node):
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id in self.sleepers and node.func.id not in self.local_names:
            index = self.sleepers[node.func.id]
            seconds = const_number(node.args[index], self.consts) if len(node.args) > index else None
            self.hit("sleep", node, {"call": node.func.id, "seconds": seconds})
            return
        name = qualname(node.func, self.scope)
        # The line of the called name itself, so a chained call spread over lines points at its own line.
        line = node.func.end_lineno if isinstance(node.func, ast.Attribute) else node.lineno
        if isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS and root_name(node.func.value) in self.params:
            self.mutated.add(root_name(node.func.value))
        if name is None:
            if isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS:
                self.check_global_mutation(node.func.value, node, node.func.attr)
            return
        last = name.rsplit(".", 1)[-1]
        if name in SLEEPS:
            seconds = const_number(node.args[0], self.consts) if node.args else None
            self.hit("sleep", node, {"call": name, "seconds": seconds}, line)
        elif name in SUBPROCESS or name.startswith(SUBPROCESS_PREFIXES):
            self.hit("subprocess", node, {"call": name}, line)
        elif name in DATABASE:
            target = const_string(node.args[0]) if node.args else None
            if name == "sqlite3.connect" and target is not None and (target == ":memory:" or "mode=memory" in target):
                return
            if name.endswith("create_engine") and target is not None and target in ("sqlite://", "sqlite:///:memory:"):
                return
            self.hit("real-database", node, {"call": name}, line)
        elif is_network(name, last):
            self.hit("real-network", node, {"call": name}, line)
        elif name == "socket.socket().bind" and node.args:
            address = node.args[0]
            if isinstance(address, ast.Tuple) and len(address.elts) == 2:
                port = const_number(address.elts[1], self.consts)
                if port:
                    self.hit("parallel-unsafe", node, {"kind": "fixed-port", "name": str(int(port))}, line)
        elif name in ENV_CALLS:
            key = const_string(node.args[0]) if node.args else None
            self.hit("parallel-unsafe", node, {"kind": "env", "name": key or "?"}, line)
        elif name == "os.chdir":
            self.hit("parallel-unsafe", node, {"kind": "chdir", "name": "cwd"}, line)
        elif name == "open":
            path = const_string(node.args[0]) if node.args else None
            mode = const_string(node.args[1]) if len(node.args) > 1 else None
            for keyword in node.keywords:
                if keyword.arg == "mode":
                    mode = const_string(keyword.value)
            if path is not None and mode is not None and any(c in mode for c in "wax+"):
                self.hit("parallel-unsafe", node, {"kind": "fixed-path", "name": path}, line)
        elif name.startswith("pathlib.Path().") and last in PATH_WRITES:
            call = node.func.value
            path = const_string(call.args[0]) if isinstance(call, ast.Call) and call.args else None
            if path is not None:
                self.hit("parallel-unsafe", node, {"kind": "fixed-path", "name": path}, line)
        elif name in FILE_FUNCS_DEST0 or name in FILE_FUNCS_DEST1:
            index = 0 if name in FILE_FUNCS_DEST0 else 1
            path = const_string(node.args[index]) if len(node.args) > index else None
            if path is not None:
                self.hit("parallel-unsafe", node, {"kind": "fixed-path", "name": path}, line)
        elif last in MUTATORS and isinstance(node.func, ast.Attribute):
            self.check_global_mutation(node.func.value, node, last)


class Normaliser(ast.NodeTransformer):
    """Renames local names by order of first appearance, so bodies compare whatever their names."""

    def __init__(self, local):
        self.local = local
        self.names = {}

    def rename(self, name):
        if name not in self.local:
            return name
        if name not in self.names:
            self.names[name] = f"_v{len(self.names)}"
        return self.names[name]

    def visit_Name(self, node):
        return ast.copy_location(ast.Name(id=self.rename(node.id), ctx=node.ctx), node)

    def visit_arg(self, node):
        return ast.arg(arg=self.rename(node.arg), annotation=None)


def body_hash(function):
    local = {arg.arg for arg in function.args.args + function.args.kwonlyargs}
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            local.add(node.id)
    body = list(function.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
        body = body[1:]
    if not body:
        return None
    normaliser = Normaliser(local)
    parts = [ast.dump(normaliser.visit(ast.Module(body=[*function.decorator_list], type_ignores=[])), annotate_fields=False)]
    parts.append(",".join(normaliser.rename(arg.arg) for arg in function.args.args))
    parts.append(ast.dump(normaliser.visit(ast.Module(body=body, type_ignores=[])), annotate_fields=False))
    return hashlib.sha1("\n".join(parts).encode()).hexdigest()


def fixture_info(function, scope):
    for decorator in function.decorator_list:
        call = decorator if isinstance(decorator, ast.Call) else None
        name = qualname(call.func if call else decorator, scope)
        if name not in ("pytest.fixture", "pytest_asyncio.fixture"):
            continue
        info = {"scope": "function", "autouse": False}
        for keyword in call.keywords if call else []:
            if keyword.arg == "scope":
                info["scope"] = const_string(keyword.value) or "dynamic"
            elif keyword.arg == "autouse":
                info["autouse"] = isinstance(keyword.value, ast.Constant) and keyword.value.value is True
            elif keyword.arg == "name":
                info["alias"] = const_string(keyword.value)
        return info
    return None


def used_fixtures(function, scope):
    names = [arg.arg for arg in function.args.args + function.args.kwonlyargs if arg.arg not in ("self", "cls")]
    for decorator in function.decorator_list:
        if isinstance(decorator, ast.Call) and qualname(decorator.func, scope) == "pytest.mark.usefixtures":
            names.extend(filter(None, (const_string(arg) for arg in decorator.args)))
    return names


def analyse(path):
    try:
        with open(path, "rb") as handle:
            source = handle.read()
        tree = ast.parse(source, filename=path)
    except SyntaxError as error:
        return {"file": path, "error": {"line": error.lineno or 0, "message": error.msg or "syntax error"}}
    except (OSError, ValueError) as error:
        return {"file": path, "error": {"line": 0, "message": str(error)}}
    aliases, modules = {}, set()
    collect_imports(tree.body, aliases, modules)
    imported = {}
    for local, target in aliases.items():
        imported[local] = target
    consts = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = const_number(node.value, {})
            if value is not None:
                consts[node.targets[0].id] = value
    module_scope = Scope(aliases)
    import_lines = {}
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                import_lines.setdefault(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            import_lines.setdefault(node.module, node.lineno)
    result = {"file": path, "imports": sorted(modules), "importLines": import_lines, "tests": [], "fixtures": [], "hits": []}

    # Helpers that wait for one of their parameters: def wait(seconds): time.sleep(seconds).
    sleepers = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("test"):
            params = [arg.arg for arg in node.args.args]
            for inner in ast.walk(node):
                if (isinstance(inner, ast.Call) and qualname(inner.func, module_scope) in SLEEPS and inner.args
                        and isinstance(inner.args[0], ast.Name) and inner.args[0].id in params):
                    sleepers[node.name] = params.index(inner.args[0].id)
                    break

    def walk_function(function, owner):
        walker = Walker(Scope({}, module_scope), owner, consts, imported, result["hits"], sleepers)
        for arg in function.args.args + function.args.kwonlyargs:
            walker.local_names.add(arg.arg)
            walker.params.add(arg.arg)
        for statement in function.body:
            walker.visit(statement)
        return sorted(walker.mutated)

    def visit_functions(body, prefix, in_class):
        for node in body:
            # pytest collects Test* classes, and unittest.TestCase subclasses whatever their name.
            if isinstance(node, ast.ClassDef) and (node.name.startswith("Test") or any(
                    (qualname(base, module_scope) or "").endswith("TestCase") for base in node.bases)):
                visit_functions(node.body, prefix + node.name + "::", True)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                fixture = fixture_info(node, module_scope)
                if fixture is not None:
                    name = fixture.get("alias") or node.name
                    result["fixtures"].append({"name": name, "line": node.lineno, "endLine": node.end_lineno,
                                               "scope": fixture["scope"], "autouse": fixture["autouse"],
                                               "uses": used_fixtures(node, module_scope), "className": prefix[:-2] or None})
                    walk_function(node, {"kind": "fixture", "name": name})
                elif node.name.startswith("test"):
                    name = prefix + node.name
                    test = {"name": name, "line": node.lineno, "endLine": node.end_lineno,
                            "fixtures": used_fixtures(node, module_scope)}
                    result["tests"].append(test)
                    test["mutates"] = walk_function(node, {"kind": "test", "name": name})
                    # Last: the normaliser renames the body's names in place.
                    test["hash"] = body_hash(node)
                elif in_class and node.name in ("setup_method", "setUp", "setup"):
                    result["fixtures"].append({"name": prefix + node.name, "line": node.lineno, "endLine": node.end_lineno,
                                               "scope": "function", "autouse": True, "uses": [],
                                               "className": prefix[:-2]})
                    walk_function(node, {"kind": "fixture", "name": prefix + node.name})

    visit_functions(tree.body, "", False)
    return result


def main():
    request = json.load(sys.stdin)
    out = []
    for path in request["files"]:
        try:
            out.append(analyse(path))
        except RecursionError:
            out.append({"file": path, "error": {"line": 0, "message": "too deeply nested to analyse"}})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
