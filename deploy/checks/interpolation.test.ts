import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InterpolationError, interpolate, parseEnvFile, referencedVariables } from './test-support/interpolation.js';

// The checks trust this re-implementation of compose's interpolation to tell what a container
// receives, so it is held to compose's documented behaviour here.
describe('compose interpolation', () => {
  const variables = { SET: 'value', EMPTY: '' };

  test('when a variable is set, then $NAME and ${NAME} become its value', () => {
    assert.equal(interpolate('a $SET b ${SET} c', variables), 'a value b value c');
  });

  test('when a variable is unset, then it becomes the empty string', () => {
    assert.equal(interpolate('[${UNSET}][$UNSET]', variables), '[][]');
  });

  test('when a default is given with :-, then it is used for unset and empty variables alike', () => {
    assert.equal(interpolate('${UNSET:-fallback} ${EMPTY:-fallback} ${SET:-fallback}', variables), 'fallback fallback value');
  });

  test('when a default is given with -, then it is used for unset variables only', () => {
    assert.equal(interpolate('${UNSET-fallback}|${EMPTY-fallback}', variables), 'fallback|');
  });

  test('when a default names another variable, then it is interpolated too', () => {
    assert.equal(interpolate('${UNSET:-${SET}-x}', variables), 'value-x');
  });

  test('when a required variable (:?) is unset or empty, then interpolation fails with its message', () => {
    assert.throws(() => interpolate('${UNSET:?set UNSET in .env}', variables), (error: unknown) => {
      assert.ok(error instanceof InterpolationError);
      assert.match(error.message, /UNSET.*set UNSET in \.env/);
      return true;
    });
    assert.throws(() => interpolate('${EMPTY:?needed}', variables), InterpolationError);
    assert.equal(interpolate('${EMPTY?needed}', variables), '');
    assert.equal(interpolate('${SET:?needed}', variables), 'value');
  });

  test('when :+ or + is used, then the replacement applies only to set variables', () => {
    assert.equal(interpolate('${SET:+yes}|${EMPTY:+yes}|${EMPTY+yes}|${UNSET+yes}', variables), 'yes||yes|');
  });

  test('when a $ is doubled, then one literal $ remains and nothing is interpolated', () => {
    assert.equal(interpolate('sed "s|[$$]{X}|$${X}|"', variables), 'sed "s|[$]{X}|${X}|"');
  });

  test('when a $ is not followed by a name, then it stays as it is', () => {
    assert.equal(interpolate('cost: 5$ and $1', variables), 'cost: 5$ and $1');
  });

  test('when a brace is left open or a modifier is unknown, then interpolation fails', () => {
    assert.throws(() => interpolate('${SET', variables), InterpolationError);
    assert.throws(() => interpolate('${SET:=x}', variables), InterpolationError);
  });

  test('referencedVariables names every variable, in defaults too, and skips $$ escapes', () => {
    assert.deepEqual(
      [...referencedVariables('$A ${B:-${C}} ${D:?msg} $$E $${F}')].sort(),
      ['A', 'B', 'C', 'D'],
    );
  });
});

describe('.env files', () => {
  test('when lines hold NAME=value, comments and blanks, then the values are read as compose reads them', () => {
    const parsed = parseEnvFile(
      [
        '# a comment',
        '',
        'PLAIN=value with spaces  ',
        'export EXPORTED=1',
        "SINGLE='kept $AS is # not a comment'",
        'DOUBLE="line\\nbreak"',
        'TRAILING=value # a comment',
        'EMPTY=',
      ].join('\n'),
    );
    assert.deepEqual(parsed, {
      PLAIN: 'value with spaces',
      EXPORTED: '1',
      SINGLE: 'kept $AS is # not a comment',
      DOUBLE: 'line\nbreak',
      TRAILING: 'value',
      EMPTY: '',
    });
  });

  test('when a line is not NAME=value, then reading fails naming the line', () => {
    assert.throws(() => parseEnvFile('GOOD=1\nnot a pair\n', '.env.example'), /\.env\.example:2/);
  });
});
