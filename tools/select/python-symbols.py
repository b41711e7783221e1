# The symbol tables of Python files, for select's symbol-level selection (issue 15): per file, the
# top-level names it defines and what each one's code references, what its module-level code runs
# at import, what it imports under which local names, and a fingerprint of each part, so that two
# versions of a file can be compared part by part.
#
# Input (stdin): a JSON list of [key, source text]. Output (stdout): a JSON object key -> table, or
# {"error": ...} for a file that does not parse. Uses only the standard library.
import ast
import hashlib
import json
import sys

DOUBT_CALLS = {"eval", "exec", "globals", "vars", "__import__", "import_module", "getattr", "setattr", "delattr"}
SUBPROCESS_NAMES = {"subprocess", "os.system", "os.popen", "sys.executable", "pexpect", "CliRunner"}


def dotted(node):
    """a.b.c for an attribute chain over a name, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


class Refs(ast.NodeVisitor):
    """The names (dotted where they are attribute chains) an expression or body reads, and the
    ones it calls; bare uses of a name as a value (passed, returned, stored) are 'bare'."""

    def __init__(self):
        self.refs = set()
        self.called = set()
        self.doubt = False

    def visit_Attribute(self, node):
        name = dotted(node)
        if name is not None:
            self.refs.add(name)
        else:
            self.generic_visit(node)

    def visit_Name(self, node):
        if isinstance(node.ctx, ast.Load):
            self.refs.add(node.id)

    def visit_Call(self, node):
        name = dotted(node.func)
        if name is not None:
            self.called.add(name)
            last = name.rsplit(".", 1)[-1]
            if last in DOUBT_CALLS:
                self.doubt = True
        self.generic_visit(node)


def fingerprint(*nodes):
    text = "\n".join(ast.dump(n, include_attributes=False) for n in nodes if n is not None)
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def def_head(node):
    """What a def runs when the module runs it: decorators, defaults, annotations; not the body."""
    parts = list(node.decorator_list)
    if isinstance(node, ast.ClassDef):
        parts += node.bases + [k.value for k in node.keywords]
    else:
        args = node.args
        parts += args.defaults + [d for d in args.kw_defaults if d is not None]
        parts += [a.annotation for a in args.args + args.kwonlyargs + args.posonlyargs if a.annotation is not None]
        if node.returns is not None:
            parts.append(node.returns)
    return parts


def refs_of(nodes):
    visitor = Refs()
    for node in nodes:
        visitor.visit(node)
    return visitor


def analyse(source):
    tree = ast.parse(source)
    defs = {}
    imports = []
    stars = []
    executed = Refs()
    all_names = None
    module_parts = []  # the code that runs at import, for the module's fingerprint
    getattr_hook = False

    def add_import(node):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    imports.append([alias.asname, alias.name, 0, None])
                else:
                    imports.append([alias.name.split(".")[0], alias.name.split(".")[0], 0, None])
        else:
            for alias in node.names:
                if alias.name == "*":
                    stars.append([node.module or "", node.level])
                else:
                    imports.append([alias.asname or alias.name, node.module or "", node.level, alias.name])

    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            add_import(node)
            module_parts.append(node)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            head = def_head(node)
            executed.visit(ast.Module(body=[ast.Expr(h) for h in head], type_ignores=[]))
            body = refs_of(node.body)
            defs[node.name] = {
                "kind": "def",
                "refs": sorted(body.refs | body.called),
                "doubt": body.doubt,
                "head": fingerprint(*head, node.args),
                "body": fingerprint(*node.body),
            }
            module_parts.append(ast.Name(id="def " + node.name))
            if node.name == "__getattr__":
                getattr_hook = True
        elif isinstance(node, ast.ClassDef):
            head = def_head(node)
            executed.visit(ast.Module(body=[ast.Expr(h) for h in head], type_ignores=[]))
            refs = refs_of(head)
            class_level = []
            methods = []
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    methods.append(item)
                    mhead = def_head(item)
                    executed.visit(ast.Module(body=[ast.Expr(h) for h in mhead], type_ignores=[]))
                    class_level.append(ast.Name(id="def " + item.name))
                    class_level += mhead
                else:
                    class_level.append(item)
                    # The class body runs at import: its calls run then.
                    inner = Refs()
                    inner.visit(item)
                    executed.called |= inner.called
                    executed.doubt |= inner.doubt
                    refs.refs |= inner.refs
            body = refs_of([m for m in methods])
            defs[node.name] = {
                "kind": "class",
                "refs": sorted(refs.refs | body.refs | body.called),
                "doubt": body.doubt,
                "head": fingerprint(*head, *class_level),
                "body": fingerprint(*methods),
            }
            module_parts.append(ast.Name(id="class " + node.name))
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            value = node.value
            if "__all__" in names and isinstance(value, (ast.List, ast.Tuple)):
                all_names = [e.value for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            visitor = Refs()
            if value is not None:
                visitor.visit(value)
            executed.called |= visitor.called
            executed.doubt |= visitor.doubt
            for name in names:
                entry = defs.setdefault(name, {"kind": "assign", "refs": [], "doubt": False, "head": "", "body": ""})
                entry["refs"] = sorted(set(entry["refs"]) | visitor.refs)
            if not names or visitor.called:
                # A subscript or attribute target, or a call: it runs at import.
                executed.refs |= visitor.refs
            module_parts.append(node)
        else:
            # if/try/for/with/expressions at module level: they run at import, and may define or import names.
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    add_import(inner)
                elif isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    defs.setdefault(inner.name, {"kind": "def", "refs": [], "doubt": True, "head": "", "body": ""})
                elif isinstance(inner, ast.Name) and isinstance(inner.ctx, ast.Store):
                    defs.setdefault(inner.id, {"kind": "assign", "refs": [], "doubt": True, "head": "", "body": ""})
            executed.visit(node)
            executed.refs |= executed.called
            module_parts.append(node)

    # Imports inside functions, methods and class bodies (`from ._textwrap import TextWrapper` in a
    # function, as click does): they bind names the def's code references, so they count as imports
    # of the file; they do not run at import, so they are not executed.
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    add_import(inner)

    every = set()
    for entry in defs.values():
        every |= set(entry["refs"])
    every |= executed.refs | executed.called
    subprocess = any(name == s or name.startswith(s + ".") for name in every for s in SUBPROCESS_NAMES)
    return {
        "defs": defs,
        "imports": imports,
        "stars": stars,
        "all": all_names,
        "executed": sorted(executed.called | executed.refs),
        "doubt": executed.doubt or getattr_hook,
        "getattr": getattr_hook,
        "subprocess": subprocess,
        "module": fingerprint(*module_parts),
    }


def main():
    items = json.load(sys.stdin)
    out = {}
    for key, source in items:
        try:
            out[key] = analyse(source)
        except (SyntaxError, ValueError, RecursionError) as error:
            out[key] = {"error": str(error).splitlines()[0] if str(error) else type(error).__name__}
    json.dump(out, sys.stdout)


main()
