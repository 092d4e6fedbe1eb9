module.exports = require('../../libs/testing/jest.integration.js')(__dirname);
