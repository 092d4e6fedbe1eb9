module.exports = require('./jest.integration.js')(__dirname);
