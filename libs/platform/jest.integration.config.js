module.exports = require('../testing/jest.integration.js')(__dirname);
