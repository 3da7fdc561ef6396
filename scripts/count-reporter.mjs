// A node:test reporter that writes, as JSON, how many tests ran and which test files declared
// none. The test script reads it to refuse a run that tested nothing.
export default async function* countReporter(source) {
  let tests = 0;
  const emptyFiles = new Set();
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    // node 20 reports a file that declared no tests as one "test" named after the file
    if (event.data.file && event.data.name === event.data.file) {
      emptyFiles.add(event.data.file);
    } else if (event.data.details?.type !== 'suite') {
      tests += 1;
    }
  }
  yield JSON.stringify({ tests, emptyFiles: [...emptyFiles] });
}
