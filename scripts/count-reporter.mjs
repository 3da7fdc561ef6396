// A node:test reporter that writes how many tests ran, and in which files, as JSON. The test
// script reads it to refuse a run where a test file ran nothing.
export default async function* countReporter(source) {
  let tests = 0;
  const files = new Set();
  for await (const event of source) {
    const isResult = event.type === 'test:pass' || event.type === 'test:fail';
    // node 20 reports a file that declared no tests as one passing "test" named after the file
    const isFileWithoutTests = isResult && event.data.name === event.data.file;
    if (isResult && !isFileWithoutTests && event.data.details?.type !== 'suite') {
      tests += 1;
      if (event.data.file) files.add(event.data.file);
    }
  }
  yield JSON.stringify({ tests, files: [...files] });
}
