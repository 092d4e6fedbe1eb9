/** The one JetStream stream every service publishes its events to. */
export const EVENT_STREAM = 'CIVIL';
export const EVENT_STREAM_SUBJECTS = ['civil.>'];

/** Events are published on a subject equal to their type: civil.<service>.<aggregate>.<event>.v<n>. */
export function eventSubject(type: string): string {
  return type;
}

/** Request/reply subjects: <service>.<aggregate>.<action>; the queue group is the service name. */
export const Patterns = {
  placeNames: {
    create: 'place-names.place-name.create',
    get: 'place-names.place-name.get',
    list: 'place-names.place-name.list',
  },
  reporting: {
    counters: 'reporting.counters.get',
  },
  socialAssistance: {
    registerHousehold: 'social-assistance.household.register',
    getHousehold: 'social-assistance.household.get',
    recordIncome: 'social-assistance.household.record-income',
    recordAsset: 'social-assistance.household.record-asset',
    getFinances: 'social-assistance.household.finances',
    submitDibao: 'social-assistance.dibao-application.submit',
    actOnDibao: 'social-assistance.dibao-application.act',
    getDibao: 'social-assistance.dibao-application.get',
    listOverdueDibao: 'social-assistance.dibao-application.list-overdue',
    previewDibaoBenefit: 'social-assistance.dibao-application.benefit',
    scheduleReviews: 'social-assistance.dibao-review.schedule',
    listDueReviews: 'social-assistance.dibao-review.list-due',
    decideReview: 'social-assistance.dibao-review.decide',
    grantEmergencyAssistance: 'social-assistance.temporary-assistance.grant-emergency',
    applyTemporaryAssistance: 'social-assistance.temporary-assistance.apply',
    actOnTemporaryAssistance: 'social-assistance.temporary-assistance.act',
    getTemporaryAssistance: 'social-assistance.temporary-assistance.get',
    createCharityCampaign: 'social-assistance.charity.create-campaign',
    listCharityCampaigns: 'social-assistance.charity.list-campaigns',
    recordCharityDonation: 'social-assistance.charity.record-donation',
    recordCharityActivity: 'social-assistance.charity.record-activity',
    charitySummary: 'social-assistance.charity.summary',
    assessTekun: 'social-assistance.tekun.assess',
    enrolTekun: 'social-assistance.tekun.enrol',
    changeTekunCare: 'social-assistance.tekun.change-care',
    recordTekunCareInsurance: 'social-assistance.tekun.record-care-insurance',
    endTekun: 'social-assistance.tekun.end',
    getTekun: 'social-assistance.tekun.get',
    tekunCensus: 'social-assistance.tekun.census',
    requestVerification: 'social-assistance.verification.request',
    getVerification: 'social-assistance.verification.get',
    runPayroll: 'social-assistance.payroll.run',
    getPayroll: 'social-assistance.payroll.get',
    listPaymentLines: 'social-assistance.payroll.lines',
    exportBankFile: 'social-assistance.payroll.bank-file',
  },
  socialAffairs: {
    listCemeterySlots: 'social-affairs.cemetery-slot.list',
    openCemeterySlots: 'social-affairs.cemetery-slot.open',
    bookCemeteryVisit: 'social-affairs.cemetery-booking.book',
    getCemeteryBooking: 'social-affairs.cemetery-booking.get',
    cancelCemeteryBooking: 'social-affairs.cemetery-booking.cancel',
    checkInCemeteryBooking: 'social-affairs.cemetery-booking.check-in',
    markCemeteryNoShows: 'social-affairs.cemetery-booking.mark-no-shows',
    listMarriageRegistries: 'social-affairs.marriage-registry.list',
    bookMarriageAppointment: 'social-affairs.marriage-appointment.book',
    cancelMarriageAppointment: 'social-affairs.marriage-appointment.cancel',
    registerMarriage: 'social-affairs.marriage.register',
    getMarriageRegistration: 'social-affairs.marriage.get',
    reissueMarriageCertificate: 'social-affairs.marriage-certificate.reissue',
    marriageCertificateAccuracy: 'social-affairs.marriage-certificate.accuracy',
    applyDivorce: 'social-affairs.divorce.apply',
    withdrawDivorce: 'social-affairs.divorce.withdraw',
    registerDivorce: 'social-affairs.divorce.register',
    getDivorce: 'social-affairs.divorce.get',
    lapseDivorces: 'social-affairs.divorce.lapse',
    recordSocialWorkActivity: 'social-affairs.social-work.record-activity',
    socialWorkSummary: 'social-affairs.social-work.summary',
  },
  elderlyCare: {
    listAgeAllowanceRates: 'elderly-care.age-allowance-rate.list',
  },
} as const;

export const SERVICE_NAMES = [
  'gateway',
  'social-assistance',
  'social-affairs',
  'elderly-care',
  'place-names',
  'reporting',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];
