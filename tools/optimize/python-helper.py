"""The Python side of testpace-optimize's analysis, run once per invocation by the machine's python3.

Parses every Python test file with the standard ast module and answers in JSON.
Input (stdin): {"files": ["/abs/a.py", ...]}. Output (stdout): one JSON array, one entry per file:
{"file", "error"?: {"line", "message"}, "imports": [...], "tests": [...], "fixtures": [...], "hits": [...]}.
Only the standard library: it runs under python3 -I, outside the user's environment.
"""
import ast
import hashlib
import json
import os
import shlex
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
# Shell commands that write their operands (all of them, or the last: the destination).
SHELL_WRITES_ALL = {"touch", "mkdir", "tee", "rm", "rmdir", "truncate"}
SHELL_WRITES_LAST = {"cp", "mv", "ln", "install", "rsync"}
SHELL_SEPARATORS = {";", "&&", "||", "|", "&", "|&"}
SHELL_REDIRECTS = {">", ">>", "&>", "&>>", ">|"}
# Calls that run their first argument through a shell.
SHELL_CALLS = {"os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput", "asyncio.create_subprocess_shell"}
PATH_TYPES = {"pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "pathlib.PurePosixPath"}
# Process-wide streams that context managers swap and put back (redirect_stdout, CliRunner.isolation).
STREAMS = {"sys.stdout", "sys.stderr", "sys.stdin"}
# monkeypatch (and pytest-mock) calls that pytest undoes after the test: method -> what it patches.
PATCHERS = {"setenv", "delenv", "setattr", "delattr", "setitem", "delitem"}
# A call to a function of the state's own module with one of these prefixes puts the module's state back.
RESETS = ("clear", "reset", "restore", "cleanup", "teardown")
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


def const_path(node, scope, paths):
    """A path that is the same in every run: a literal, a name holding one, __file__, os.path and pathlib of those.

    Returns (the path relative to the working directory, whether it is a pathlib object), or None.
    """
    text = const_string(node)
    if text is not None:
        return text, False
    if isinstance(node, ast.Name):
        return paths.get(node.id)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        left, right = const_path(node.left, scope, paths), const_path(node.right, scope, paths)
        if left is None or right is None or not (left[1] or right[1]):
            return None
        return os.path.join(left[0], right[0]), True
    if isinstance(node, ast.Attribute) and node.attr == "parent":
        inner = const_path(node.value, scope, paths)
        return (os.path.dirname(inner[0]), True) if inner is not None and inner[1] else None
    if not isinstance(node, ast.Call) or node.keywords:
        return None
    args = [const_path(arg, scope, paths) for arg in node.args]
    if isinstance(node.func, ast.Attribute) and node.func.attr in ("resolve", "absolute", "expanduser", "joinpath"):
        inner = const_path(node.func.value, scope, paths)
        if inner is None or not inner[1] or None in args:
            return None
        return os.path.join(inner[0], *[arg[0] for arg in args]), True
    name = qualname(node.func, scope) or (node.func.id if isinstance(node.func, ast.Name) else None)
    if name == "tempfile.gettempdir":
        return "<tmp>", False
    if name in ("os.getcwd", "pathlib.Path.cwd"):
        return ".", name != "os.getcwd"
    if not args or None in args:
        return None
    texts = [arg[0] for arg in args]
    if name in PATH_TYPES:
        return os.path.join(*texts), True
    if name == "os.path.join":
        return os.path.join(*texts), False
    if len(texts) == 1 and name == "os.path.dirname":
        return os.path.dirname(texts[0]), False
    if len(texts) == 1 and name in ("os.path.abspath", "os.path.realpath", "os.path.normpath", "os.fspath", "str"):
        return texts[0], False
    return None


def module_paths(tree, path, scope):
    """Module-level names holding a fixed path (TMP = os.path.join(os.path.dirname(__file__), "tmp"))."""
    paths = {"__file__": (os.path.relpath(path), False)}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            found = const_path(node.value, scope, paths)
            if found is not None:
                paths[node.targets[0].id] = found
    return paths


def command_writes(words):
    """The paths a command line writes, split into words: rm -rf x, mkdir x, cp a x, > x."""
    out, command, redirect = [], [], False
    for word in list(words) + [";"]:
        if redirect:
            out.append(word)
            redirect = False
        elif word in SHELL_REDIRECTS:
            # 2>/dev/null: the descriptor belongs to the redirection.
            if command and command[-1].isdigit():
                command.pop()
            redirect = True
        elif word in SHELL_SEPARATORS:
            names = [w for w in command if not ("=" in w and w.split("=")[0].isidentifier())]
            name = os.path.basename(names[0]) if names else ""
            operands = [w for w in names[1:] if not w.startswith("-")]
            if name in SHELL_WRITES_ALL:
                out += operands
            elif name in SHELL_WRITES_LAST and len(operands) >= 2:
                out.append(operands[-1])
            command = []
        else:
            command.append(word)
    return [w for w in out if w and "$" not in w and not w.startswith("/dev/")]


def shell_words(line):
    try:
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        return list(lexer)
    except ValueError:
        return []


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

    def __init__(self, scope, owner, consts, imported, hits, helpers=None, modules=None, paths=None):
        self.helpers = helpers or {}
        # Names holding a fixed path: the module's, and locals bound to one (rebinding a name forgets it).
        self.paths = dict(paths or {})
        # Local names bound by `import x`: calling x.clear() is the module's API, not a mutation of x.
        self.modules = modules or set()
        self.with_depth = 0
        # After a fixture's yield (its teardown), in an autouse fixture (a reset before each test) or in a
        # teardown method, writes put state back.
        self.restoring = False
        # Locals holding a snapshot of some state (old = os.environ.get("A")): writing them back restores it.
        self.snapshots = {}
        self.scope = scope
        self.owner = owner
        self.consts = consts
        self.imported = imported
        self.hits = hits
        self.finally_depth = 0
        self.local_names = set()
        self.params = set()
        self.mutated = set()

    def hit(self, rule, node, detail, line=None, restore=False):
        key = detail.get("key")
        restore = (restore or self.finally_depth > 0 or self.restoring
                   or (self.with_depth > 0 and key in STREAMS))
        self.hits.append({"rule": rule, "line": line or node.lineno, "column": node.col_offset + 1, "owner": self.owner,
                          "detail": detail, "restore": restore})

    def visit_FunctionDef(self, node):
        inner = Walker(Scope({}, self.scope), self.owner, self.consts, self.imported, self.hits, self.helpers, self.modules,
                       self.paths)
        inner.restoring = self.restoring
        inner.local_names |= self.local_names
        for arg in node.args.args + node.args.kwonlyargs:
            inner.local_names.add(arg.arg)
            inner.paths.pop(arg.arg, None)
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
            found = const_path(value, self.scope, self.paths)
            if found is not None:
                self.paths[target.id] = found
            else:
                self.paths.pop(target.id, None)
            snapshot = self.state_read(value)
            if snapshot is not None:
                self.snapshots[target.id] = snapshot
            else:
                self.snapshots.pop(target.id, None)
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
        self.with_depth += 1
        for statement in node.body:
            self.visit(statement)
        self.with_depth -= 1

    visit_AsyncWith = visit_With

    def visit_Assign(self, node):
        self.visit(node.value)
        for target in node.targets:
            self.check_write(target, node, node.value)
            self.bind(target, node.value)

    def visit_AnnAssign(self, node):
        if node.value is not None:
            self.visit(node.value)
            self.check_write(node.target, node, node.value)
            self.bind(node.target, node.value)

    def visit_AugAssign(self, node):
        self.visit(node.value)
        self.check_write(node.target, node)

    def visit_Delete(self, node):
        for target in node.targets:
            self.check_write(target, node)

    def visit_Global(self, node):
        for name in node.names:
            self.hit("parallel-unsafe", node, {"kind": "module-global", "name": name, "key": "global:" + name})

    def state_key(self, node):
        """The dotted name of the process state an expression denotes (os.environ -> env), if it is such state."""
        if isinstance(node, ast.Subscript):
            base = qualname(node.value, self.scope)
            if base == "os.environ":
                key = const_string(node.slice)
                return "env:" + (key or "*")
            return self.state_key(node.value)
        name = root_name(node)
        if name is None or name in self.local_names or name not in self.imported:
            return None
        return qualname(node, self.scope)

    def state_read(self, value):
        """old = os.environ.get("A") / dict(os.environ) / module.attr / module.cache.copy(): the state it snapshots."""
        if isinstance(value, ast.Call):
            func = qualname(value.func, self.scope)
            if func == "os.environ.get" and value.args:
                return "env:" + (const_string(value.args[0]) or "*")
            copied = qualname(value.args[0], self.scope) if func == "dict" and value.args else None
            copies_environ = func == "os.environ.copy" or copied == "os.environ"
            if copies_environ:
                return "env:*"
            if isinstance(value.func, ast.Attribute) and value.func.attr in ("copy", "get"):
                return self.state_key(value.func.value)
            if func in ("copy.copy", "copy.deepcopy", "list", "dict", "set") and value.args:
                return self.state_key(value.args[0])
            return None
        if isinstance(value, (ast.Attribute, ast.Subscript)):
            return self.state_key(value)
        return None

    def restores(self, value, key):
        """Whether `value` is a snapshot of the state written (the write puts it back)."""
        if not isinstance(value, ast.Name) or value.id not in self.snapshots:
            return False
        saved = self.snapshots[value.id]
        return saved == key or saved == "env:*" and key.startswith("env:") or key.startswith(saved + ".") or saved.startswith(key + ".")

    def check_write(self, target, node, value=None):
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
            self.hit("parallel-unsafe", node, {"kind": "env", "name": key or "*", "key": "env:" + (key or "*")},
                     restore=self.restores(value, "env:" + (key or "*")))
            return
        self.check_global_mutation(target, node, "=", value)

    def check_global_mutation(self, target, node, how, value=None):
        """A write to (or a mutating call on) `target`, when it is state of an imported module."""
        name = root_name(target)
        if name is None or name in self.local_names or name not in self.imported:
            return
        # os.environ.update(...) and friends are environment writes, handled by the caller.
        key = qualname(target, self.scope) or self.imported[name]
        if how != "=" and isinstance(target, ast.Name) and name in self.modules:
            # registry.clear() on `import registry`: a function of the module, not a method of a shared object.
            return
        parent = key.rsplit(".", 1)[0] if "." in key else key
        shown = key.rsplit(".", 1)[-1]
        self.hit("parallel-unsafe", node, {"kind": "module-global", "name": shown, "module": parent, "how": how, "key": key},
                 restore=value is not None and self.restores(value, key))

    def visit_Call(self, node):
        self.generic_visit(node)
        helper = node.func.id if isinstance(node.func, ast.Name) else None
        if helper in self.helpers and helper not in self.local_names:
            self.helper_call(node, helper)
            return
        if isinstance(node.func, ast.Attribute) and node.func.attr in PATCHERS and root_name(node.func.value) in self.local_names:
            self.patched(node)
            return
        name = qualname(node.func, self.scope)
        # The line of the called name itself, so a chained call spread over lines points at its own line.
        line = node.func.end_lineno if isinstance(node.func, ast.Attribute) else node.lineno
        if isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS and root_name(node.func.value) in self.params:
            self.mutated.add(root_name(node.func.value))
        if isinstance(node.func, ast.Attribute) and node.func.attr in PATH_WRITES:
            # Path("tests/tmp").mkdir(), (Path(__file__).parent / "out.txt").write_text(...): a pathlib object only.
            self.fixed(node.func.value, line, path_object=True)
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
            self.command_paths(node, name, line)
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
            self.env_call(node, name, line)
        elif name == "os.chdir":
            self.hit("parallel-unsafe", node, {"kind": "chdir", "name": "cwd"}, line)
        elif name == "open":
            mode = const_string(node.args[1]) if len(node.args) > 1 else None
            for keyword in node.keywords:
                if keyword.arg == "mode":
                    mode = const_string(keyword.value)
            if node.args and mode is not None and any(c in mode for c in "wax+"):
                self.fixed(node.args[0], line)
        elif name in FILE_FUNCS_DEST0 or name in FILE_FUNCS_DEST1:
            index = 0 if name in FILE_FUNCS_DEST0 else 1
            self.fixed(node.args[index] if len(node.args) > index else None, line)
        elif last in MUTATORS and isinstance(node.func, ast.Attribute):
            self.check_global_mutation(node.func.value, node, last, node.args[0] if last == "update" and node.args else None)
        elif last.startswith(RESETS) and "." in name:
            # structlog.threadlocal.clear_threadlocal(): the module's own reset of its state.
            self.hit("parallel-unsafe", node, {"kind": "reset", "name": last, "key": name.rsplit(".", 1)[0]}, line, restore=True)

    def fixed(self, node, line, path_object=False):
        """Reports a write to `node` when it is a fixed path (a pathlib object, where the call is a Path method)."""
        found = const_path(node, self.scope, self.paths) if node is not None else None
        if found is not None and (found[1] or not path_object):
            self.hit("parallel-unsafe", node, {"kind": "fixed-path", "name": os.path.normpath(found[0])}, line)

    def command_paths(self, node, name, line):
        """The fixed paths a command a test runs writes: os.system("rm -rf tests/tmp"), run(["rm", "-rf", TMP])."""
        if not node.args:
            return
        shell = name in SHELL_CALLS or any(k.arg == "shell" and isinstance(k.value, ast.Constant) and k.value.value
                                           for k in node.keywords)
        first = node.args[0]
        words = None
        if isinstance(first, (ast.List, ast.Tuple)):
            parts = [const_path(e, self.scope, self.paths) for e in first.elts]
            words = None if None in parts else [part[0] for part in parts]
        elif shell:
            text = const_path(first, self.scope, self.paths)
            words = shell_words(text[0]) if text is not None else None
        if not words:
            return
        # Relative paths are relative to the command's cwd: the test's, unless the call names another.
        cwd = "."
        for keyword in node.keywords:
            if keyword.arg == "cwd":
                found = const_path(keyword.value, self.scope, self.paths)
                cwd = found[0] if found is not None else None
        for written in command_writes(words):
            if os.path.isabs(written) or written.startswith("<tmp>"):
                self.hit("parallel-unsafe", node, {"kind": "fixed-path", "name": os.path.normpath(written)}, line)
            elif cwd is not None:
                self.hit("parallel-unsafe", node, {"kind": "fixed-path", "name": os.path.normpath(os.path.join(cwd, written))}, line)

    def env_call(self, node, name, line):
        """os.environ.update({"A": ...}) / setdefault("A") / pop("A"): each variable it writes, by name."""
        keys = []
        if name == "os.environ.update":
            for arg in node.args:
                if isinstance(arg, ast.Dict):
                    keys += [const_string(k) or "*" for k in arg.keys]
                else:
                    keys.append("*")
            keys += [k.arg or "*" for k in node.keywords]
        elif name in ("os.environ.clear", "os.environ.popitem"):
            keys = ["*"]
        else:
            keys = [(const_string(node.args[0]) if node.args else None) or "*"]
        value = node.args[0] if name == "os.environ.update" and node.args else None
        restore = value is not None and self.restores(value, "env:*")
        keys = list(dict.fromkeys(keys or ["*"]))
        shown = "*" if "*" in keys else ", ".join(keys)
        self.hit("parallel-unsafe", node, {"kind": "env", "name": shown, "key": "env:" + (keys[0] if len(keys) == 1 else "*")}, line,
                 restore=restore)

    def patched(self, node):
        """monkeypatch.setenv("A", ...), setattr(module, "name", ...), setitem(os.environ, ...): pytest undoes them."""
        method = node.func.attr
        args = node.args
        if method in ("setenv", "delenv"):
            key = "env:" + ((const_string(args[0]) if args else None) or "*")
        elif method in ("setitem", "delitem") and args:
            target = qualname(args[0], self.scope)
            key = "env:" + ((const_string(args[1]) if len(args) > 1 else None) or "*") if target == "os.environ" else target
        elif method in ("setattr", "delattr") and args:
            dotted = const_string(args[0])
            if dotted is not None and (len(args) < 3 if method == "setattr" else len(args) < 2):
                key = dotted
            else:
                base = qualname(args[0], self.scope)
                attr = const_string(args[1]) if len(args) > 1 else None
                key = base + "." + attr if base and attr else base
        else:
            return
        if key:
            self.hit("parallel-unsafe", node, {"kind": "patched", "name": method, "key": key}, restore=True)

    def helper_call(self, node, helper):
        """A call to a helper of the file or of a project module it imports: the helper's own hits, here."""
        for found in self.helpers[helper]:
            detail = dict(found["detail"])
            if "call" in detail:
                detail["call"] = helper + " → " + detail["call"]
            if found["rule"] == "sleep" and found.get("param") is not None:
                index = found["param"]
                detail["seconds"] = const_number(node.args[index], self.consts) if len(node.args) > index else None
            self.hit(found["rule"], node, detail)


class Normaliser:
    """Renames local names by order of first appearance, so bodies compare whatever their names.

    Writes the tree as text in one pass (ast.dump over a NodeTransformer's copy took most of a run's time).
    """

    def __init__(self, local):
        self.local = local
        self.names = {}

    def rename(self, name):
        if name not in self.local:
            return name
        if name not in self.names:
            self.names[name] = f"_v{len(self.names)}"
        return self.names[name]

    def text(self, nodes):
        out = []
        pending = list(reversed(nodes))
        while pending:
            node = pending.pop()
            if isinstance(node, str):
                out.append(node)
                continue
            out.append(type(node).__name__)
            if isinstance(node, ast.Name):
                out.append(self.rename(node.id))
                continue
            if isinstance(node, ast.arg):
                out.append(self.rename(node.arg))
                continue
            children = []
            for field in node._fields:
                value = getattr(node, field, None)
                if isinstance(value, ast.AST):
                    children.append(value)
                elif isinstance(value, list):
                    children.append("[")
                    children.extend(item if isinstance(item, ast.AST) else repr(item) for item in value)
                    children.append("]")
                elif value is not None and not isinstance(value, ast.expr_context):
                    children.append(repr(value))
            children.append(")")
            pending.extend(reversed(children))
        return " ".join(out)


def is_empty(body):
    """A body of docstrings, pass and ... only: a placeholder, never a duplicate of another."""
    return all(isinstance(s, ast.Pass) or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant)) for s in body)


def body_hash(function, context=""):
    """The test's body with its locals renamed, and what else makes the test: the class attributes it runs with
    (self.cls differs between classes), async or not."""
    if is_empty(function.body):
        return None
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
    parts = [normaliser.text(function.decorator_list)]
    parts.append(",".join(normaliser.rename(arg.arg) for arg in function.args.args))
    parts.append(normaliser.text(body))
    parts.append(type(function).__name__)
    parts.append(context)
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


XUNIT_SETUPS = ("setup_method", "setUp", "setup")
XUNIT_TEARDOWNS = ("teardown_method", "tearDown", "teardown")


def walk_body(node):
    """The nodes of a statement, not those of functions defined in it."""
    pending = [node]
    while pending:
        current = pending.pop()
        yield current
        for child in ast.iter_child_nodes(current):
            if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                pending.append(child)


def function_hits(function, module_scope, consts, paths):
    """What a helper does wherever it is called: its sleeps (literal, or of a parameter), processes, network,
    databases, and the fixed paths it writes."""
    hits = []
    walker = Walker(Scope({}, module_scope), None, consts, {}, hits, paths=paths)
    params = [arg.arg for arg in function.args.args]
    walker.local_names |= set(params)
    for param in params:
        walker.paths.pop(param, None)
    for statement in function.body:
        walker.visit(statement)
    found = []
    for hit in hits:
        fixed_path = hit["rule"] == "parallel-unsafe" and hit["detail"].get("kind") == "fixed-path"
        if hit["rule"] not in ("sleep", "subprocess", "real-network", "real-database") and not fixed_path:
            continue
        entry = {"rule": hit["rule"], "detail": hit["detail"]}
        if hit["rule"] == "sleep" and hit["detail"]["seconds"] is None:
            # time.sleep(seconds) with seconds a parameter: the call site gives the duration.
            for inner in walk_body(function):
                if (isinstance(inner, ast.Call) and inner.lineno == hit["line"] and inner.args
                        and isinstance(inner.args[0], ast.Name) and inner.args[0].id in params):
                    entry["param"] = params.index(inner.args[0].id)
            if "param" not in entry:
                continue
        found.append(entry)
    return found


MODULE_CACHE = {}


def module_helpers(path):
    """The helpers a project module defines (followed one level: what they call in turn is not)."""
    if path not in MODULE_CACHE:
        MODULE_CACHE[path] = {}
        try:
            with open(path, "rb") as handle:
                tree = ast.parse(handle.read(), filename=path)
        except (OSError, SyntaxError, ValueError):
            return {}
        aliases = {}
        collect_imports(tree.body, aliases, set())
        scope = Scope(aliases)
        paths = module_paths(tree, path, scope)
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("test"):
                found = function_hits(node, scope, {}, paths)
                if found:
                    MODULE_CACHE[path][node.name] = found
    return MODULE_CACHE[path]


def project_module(importer, module, level):
    """The file of a module imported by a test file, when it is part of the project (relative, or beside it)."""
    base = os.path.dirname(importer)
    if level:
        for _ in range(level - 1):
            base = os.path.dirname(base)
        candidates = [base]
    else:
        candidates = [base, os.getcwd()]
    parts = module.split(".") if module else []
    for root in candidates:
        for path in (os.path.join(root, *parts) + ".py", os.path.join(root, *parts, "__init__.py")):
            # Test helpers only: the code under test is what the tests are for, and they often stub its calls.
            in_tests = os.path.dirname(path) == base or {"test", "tests", "testing"} & set(os.path.relpath(path).split(os.sep))
            if parts and os.path.isfile(path) and in_tests and "site-packages" not in path:
                return path
    return None


def project_helpers(tree, path, module_scope, consts, paths):
    """Helpers a test can call by a bare name: the file's own functions, and those imported from project modules."""
    helpers = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            found = project_module(path, node.module, node.level)
            if found is None:
                continue
            defined = module_helpers(found)
            for alias in node.names:
                if alias.name in defined:
                    helpers[alias.asname or alias.name] = defined[alias.name]
    for node in tree.body:
        is_function = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        if is_function and not node.name.startswith("test") and fixture_info(node, module_scope) is None:
            found = function_hits(node, module_scope, consts, paths)
            if found:
                helpers[node.name] = found
    return helpers


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

    modules_bound = {alias.asname or alias.name.split(".")[0] for node in tree.body if isinstance(node, ast.Import) for alias in node.names}
    paths = module_paths(tree, path, module_scope)
    helpers = project_helpers(tree, path, module_scope, consts, paths)

    def walk_function(function, owner, restoring=False):
        walker = Walker(Scope({}, module_scope), owner, consts, imported, result["hits"], helpers, modules_bound, paths)
        walker.restoring = restoring
        for arg in function.args.args + function.args.kwonlyargs:
            walker.local_names.add(arg.arg)
            walker.params.add(arg.arg)
            walker.paths.pop(arg.arg, None)
        for statement in function.body:
            walker.visit(statement)
            # A fixture's code after its yield is its teardown.
            if owner["kind"] == "fixture" and any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in walk_body(statement)):
                walker.restoring = True
        return sorted(walker.mutated)

    def visit_functions(body, prefix, in_class):
        for node in body:
            # pytest collects Test* classes, and unittest.TestCase subclasses whatever their name.
            if isinstance(node, ast.ClassDef) and (node.name.startswith("Test") or any(
                    (qualname(base, module_scope) or "").endswith("TestCase") for base in node.bases)):
                attributes = [s for s in node.body if isinstance(s, (ast.Assign, ast.AnnAssign))]
                visit_functions(node.body, prefix + node.name + "::", ast.dump(ast.Module(body=attributes, type_ignores=[])))
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                fixture = fixture_info(node, module_scope)
                if fixture is not None:
                    name = fixture.get("alias") or node.name
                    result["fixtures"].append({"name": name, "line": node.lineno, "endLine": node.end_lineno,
                                               "scope": fixture["scope"], "autouse": fixture["autouse"],
                                               "uses": used_fixtures(node, module_scope), "className": prefix[:-2] or None})
                    walk_function(node, {"kind": "fixture", "name": name}, restoring=fixture["autouse"])
                elif node.name.startswith("test"):
                    name = prefix + node.name
                    test = {"name": name, "line": node.lineno, "endLine": node.end_lineno,
                            "fixtures": used_fixtures(node, module_scope)}
                    result["tests"].append(test)
                    test["mutates"] = walk_function(node, {"kind": "test", "name": name})
                    test["hash"] = body_hash(node, in_class or "")
                elif in_class is not None and node.name in XUNIT_SETUPS + XUNIT_TEARDOWNS:
                    teardown = node.name in XUNIT_TEARDOWNS
                    result["fixtures"].append({"name": prefix + node.name, "line": node.lineno, "endLine": node.end_lineno,
                                               "scope": "function", "autouse": True, "uses": [], "teardown": teardown,
                                               "className": prefix[:-2]})
                    walk_function(node, {"kind": "fixture", "name": prefix + node.name}, restoring=teardown)

    visit_functions(tree.body, "", None)
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
