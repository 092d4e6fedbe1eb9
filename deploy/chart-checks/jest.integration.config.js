// The contract test starts every service, one after the other, against the shared PostgreSQL and NATS.
module.exports = require('../../libs/testing/jest.integration.js')(__dirname, { testTimeout: 300000 });
