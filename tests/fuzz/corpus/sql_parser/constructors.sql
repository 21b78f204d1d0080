SELECT ARRAY[1, 2][1], MAP['a', 1]['a'], ROW(1, 2), (1, 2), (a).b, f(x).y.z, t.a.b.c, `my ``col`, `select`, t.* FROM t GROUP BY GROUPING SETS ((a, b), (), c), ROLLUP (a), CUBE (b, c)
