// A timer, then a file read on libuv's thread pool, then its callback prints what it read.
const fs = require('fs');

setTimeout(() => {
  fs.readFile(process.argv[2], 'utf8', (err, text) => {
    if (err) throw err;
    console.log(`read ${text.length} characters in ${text.split('\n').length - 1} lines`);
  });
}, 10);
