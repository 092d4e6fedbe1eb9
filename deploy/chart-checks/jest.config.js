module.exports = require('../../libs/testing/jest.base.js')(__dirname, { testTimeout: 60000 });
