# Writes testdata/precedence.tsv: random Python expressions (tab) their
# fully parenthesised structure as CPython's ast module parses them. Jac's
# precedence is Python's except that a unary operator binds tighter than
# **, so expressions with both are left out. Run: python3 precedence.py SEED N
import random, ast, sys
random.seed(int(sys.argv[1]) if len(sys.argv)>1 else 1)
BIN=['+','-','*','/','//','%','**','<<','>>','&','|','^']
CMP=['<','<=','==','!=','>','>=','in','not in','is','is not']
def atom(d):
    r=random.random()
    if d>3 or r<0.3: return random.choice(['a','b','c','1','2.5','"s"','None','True'])
    if r<0.4: return random.choice(['a','b'])+'.x'
    if r<0.5: return 'f(%s)'%expr(d+1)
    if r<0.55: return 'a[%s]'%expr(d+1)
    if r<0.6: return '[%s, %s]'%(expr(d+1),expr(d+1))
    return '(%s)'%expr(d+1)
def expr(d=0):
    r=random.random()
    if d>4: return atom(d)
    if r<0.35: return '%s %s %s'%(expr(d+1),random.choice(BIN),expr(d+1))
    if r<0.5: return '%s %s %s'%(expr(d+1),random.choice(CMP),expr(d+1))
    if r<0.6: return '%s %s %s'%(expr(d+1),random.choice(['and','or']),expr(d+1))
    if r<0.65: return 'not %s'%expr(d+1)
    if r<0.72: return random.choice(['-','+','~'])+atom(d+1)
    if r<0.76: return '%s if %s else %s'%(expr(d+1),expr(d+1),expr(d+1))
    return atom(d)
def canon(n):
    t=type(n).__name__
    if isinstance(n,ast.Expression): return canon(n.body)
    if isinstance(n,ast.BinOp):
        op={'Add':'+','Sub':'-','Mult':'*','Div':'/','FloorDiv':'//','Mod':'%','Pow':'**','LShift':'<<','RShift':'>>','BitAnd':'&','BitOr':'|','BitXor':'^'}[type(n.op).__name__]
        return '(%s %s %s)'%(canon(n.left),op,canon(n.right))
    if isinstance(n,ast.UnaryOp):
        op={'USub':'-','UAdd':'+','Invert':'~','Not':'not'}[type(n.op).__name__]
        return '(%s %s)'%(op,canon(n.operand))
    if isinstance(n,ast.BoolOp):
        op='and' if isinstance(n.op,ast.And) else 'or'
        s=canon(n.values[0])
        for v in n.values[1:]: s='(%s %s %s)'%(s,op,canon(v))
        return s
    if isinstance(n,ast.Compare):
        m={'Lt':'<','LtE':'<=','Eq':'==','NotEq':'!=','Gt':'>','GtE':'>=','In':'in','NotIn':'not in','Is':'is','IsNot':'is not'}
        return '(cmp %s %s)'%(canon(n.left),' '.join('%s %s'%(m[type(o).__name__],canon(c)) for o,c in zip(n.ops,n.comparators)))
    if isinstance(n,ast.IfExp): return '(%s if %s else %s)'%(canon(n.body),canon(n.test),canon(n.orelse))
    if isinstance(n,ast.Name): return n.id
    if isinstance(n,ast.Constant):
        if isinstance(n.value,str): return 's'
        return str(n.value)
    if isinstance(n,ast.Attribute): return '%s.%s'%(canon(n.value),n.attr)
    if isinstance(n,ast.Call): return '%s(%s)'%(canon(n.func),','.join(canon(a) for a in n.args))
    if isinstance(n,ast.Subscript): return '%s[%s]'%(canon(n.value),canon(n.slice))
    if isinstance(n,ast.List): return '[%s]'%','.join(canon(e) for e in n.elts)
    raise Exception(t)
out=[]
for i in range(int(sys.argv[2]) if len(sys.argv)>2 else 500):
    e=expr()
    if '**' in e and any(ch in e for ch in '-+~'):
        continue
    try:
        c=canon(ast.parse(e,mode='eval'))
    except SyntaxError:
        continue
    out.append(e+'\t'+c)
print('\n'.join(out))
