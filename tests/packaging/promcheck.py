#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check a Prometheus text exposition (format 0.0.4) strictly.

    promcheck.py [FILE]     (standard input without FILE)

What node_exporter's textfile collector and Prometheus' parser require, and
what vsd promises on top (docs/metrics.md):
  - metric names match [a-zA-Z_:][a-zA-Z0-9_:]*, label names
    [a-zA-Z_][a-zA-Z0-9_]* (not "__..."), no label twice in a sample;
  - label values escape backslash, double quote and newline, and nothing
    else; HELP texts escape backslash and newline;
  - every sample belongs to a family announced by "# HELP" then "# TYPE"
    before it, each once; a family's samples are contiguous;
  - no series twice; no time stamps (the textfile collector refuses them);
    values are non-negative integers (vsd's counters and gauges);
  - counters end in _total; no empty lines, no other comments.
Prints one line per problem and a summary; exit status 0 when clean.
"""

import re
import sys

NAME = re.compile(r'[a-zA-Z_:][a-zA-Z0-9_:]*')
LABEL = re.compile(r'[a-zA-Z_][a-zA-Z0-9_]*')
TYPES = ('counter', 'gauge', 'histogram', 'summary', 'untyped')


def parse_labels(s, pos, err):
    """Parse '{a="b",...}' at s[pos]; return (dict, end) or (None, pos)."""
    labels = {}
    assert s[pos] == '{'
    pos += 1
    while True:
        if s.startswith('}', pos):
            return labels, pos + 1
        m = LABEL.match(s, pos)
        if not m:
            err('bad label name at column %d' % (pos + 1))
            return None, pos
        name = m.group(0)
        if name.startswith('__'):
            err('reserved label name %r' % name)
        pos = m.end()
        if not s.startswith('="', pos):
            err('label %r without =" at column %d' % (name, pos + 1))
            return None, pos
        pos += 2
        val = []
        while True:
            if pos >= len(s):
                err('unterminated value of label %r' % name)
                return None, pos
            c = s[pos]
            if c == '"':
                pos += 1
                break
            if c == '\\':
                nxt = s[pos + 1:pos + 2]
                if nxt not in ('\\', '"', 'n'):
                    err('bad escape \\%s in label %r' % (nxt, name))
                    return None, pos
                val.append({'\\': '\\', '"': '"', 'n': '\n'}[nxt])
                pos += 2
                continue
            val.append(c)
            pos += 1
        if name in labels:
            err('label %r twice' % name)
        labels[name] = ''.join(val)
        if s.startswith(',', pos):
            pos += 1
        elif not s.startswith('}', pos):
            err('expected , or } at column %d' % (pos + 1))
            return None, pos


def check(text):
    """Return (problems, families, samples) for an exposition text."""
    problems = []
    helps, types, done, series = {}, {}, set(), set()
    current = None
    nsamples = 0
    if text and not text.endswith('\n'):
        problems.append('the last line has no newline')
    for n, line in enumerate(text.split('\n')[:-1], 1):
        def err(msg, n=n, line=line):
            problems.append('line %d: %s: %s' % (n, msg, line[:200]))

        if not line:
            err('empty line')
            continue
        if line.startswith('#'):
            parts = line.split(' ', 3)
            if len(parts) < 3 or parts[0] != '#' or \
               parts[1] not in ('HELP', 'TYPE'):
                err('a comment that is neither HELP nor TYPE')
                continue
            kind, name = parts[1], parts[2]
            rest = parts[3] if len(parts) > 3 else ''
            if not NAME.fullmatch(name):
                err('bad metric name %r' % name)
            if name in done or (current and name != current and
                                (name in helps or name in types)):
                err('family %r announced again' % name)
            if current and name != current:
                done.add(current)
            current = name
            if kind == 'HELP':
                if name in helps or name in types:
                    err('HELP of %r not first' % name)
                if re.search(r'\\[^\\n]|\\$', rest):
                    err('bad escape in HELP')
                helps[name] = rest
            else:
                if name not in helps:
                    err('TYPE of %r without HELP before it' % name)
                if name in types:
                    err('TYPE of %r twice' % name)
                if rest not in TYPES:
                    err('unknown type %r' % rest)
                types[name] = rest
            continue
        m = NAME.match(line)
        if not m:
            err('bad metric name')
            continue
        name = m.group(0)
        pos = m.end()
        labels = {}
        if line.startswith('{', pos):
            labels, pos = parse_labels(line, pos, err)
            if labels is None:
                continue
        if not line.startswith(' ', pos):
            err('no space before the value')
            continue
        fields = line[pos + 1:].split(' ')
        if len(fields) != 1:
            err('a time stamp or trailing text after the value')
        if not re.fullmatch(r'[0-9]+', fields[0]):
            err('value %r is not a non-negative integer' % fields[0])
        nsamples += 1
        if name != current or name not in types:
            err('sample of %r outside its family (HELP and TYPE first)'
                % name)
        elif types[name] == 'counter' and not name.endswith('_total'):
            err('counter %r does not end in _total' % name)
        key = (name, tuple(sorted(labels.items())))
        if key in series:
            err('series twice')
        series.add(key)
    for name in helps:
        if name not in types:
            problems.append('family %r has HELP but no TYPE' % name)
    return problems, len(types), nsamples


def main():
    text = open(sys.argv[1]).read() if len(sys.argv) > 1 else \
        sys.stdin.read()
    problems, families, samples = check(text)
    for p in problems:
        print('promcheck: ' + p)
    print('promcheck: %d families, %d samples, %d problems'
          % (families, samples, len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
