/**
 * The vocabulary generated incidents are written in. Lists run from most to least frequent:
 * the generator picks an index with a skewed distribution, so the first words of a list are
 * common (a search for them matches a large share of incidents), the last ones rare. That is
 * what full-text search meets in a real service desk, and what the benchmark needs to probe.
 */

/** Per department: what breaks there, most often first. Titles name one of these. */
export const DEPARTMENTS: { name: string; share: number; staff: number; subjects: string[]; categories: string[] }[] = [
  {
    name: 'IT Service Desk',
    share: 0.3,
    staff: 40,
    categories: ['Hardware', 'Software', 'Network', 'Accounts and access', 'Email'],
    subjects: ['laptop', 'password', 'vpn', 'email', 'printer', 'monitor', 'wifi', 'outlook', 'teams', 'keyboard', 'docking station', 'phone', 'sharepoint', 'mfa token', 'browser', 'license', 'backup', 'server', 'database', 'citrix'],
  },
  {
    name: 'Facilities',
    share: 0.2,
    staff: 30,
    categories: ['Heating and cooling', 'Cleaning', 'Electrical', 'Plumbing', 'Furniture'],
    subjects: ['air conditioning', 'heating', 'light', 'door', 'elevator', 'toilet', 'window', 'desk', 'chair', 'coffee machine', 'parking gate', 'fire alarm', 'water leak', 'power socket', 'blinds'],
  },
  {
    name: 'Human Resources',
    share: 0.1,
    staff: 12,
    categories: ['Payroll', 'Leave', 'Onboarding', 'Benefits', 'Training'],
    subjects: ['payslip', 'holiday request', 'contract', 'onboarding', 'pension', 'sick leave', 'training budget', 'badge', 'reference letter', 'overtime'],
  },
  {
    name: 'Finance',
    share: 0.1,
    staff: 12,
    categories: ['Expenses', 'Invoices', 'Purchase orders', 'Budget', 'Travel'],
    subjects: ['expense claim', 'invoice', 'purchase order', 'credit card', 'reimbursement', 'budget code', 'vendor payment', 'travel booking', 'receipt', 'cost centre'],
  },
  {
    name: 'Security',
    share: 0.1,
    staff: 15,
    categories: ['Physical access', 'Phishing', 'Malware', 'Data loss', 'Policy'],
    subjects: ['phishing email', 'access badge', 'malware alert', 'lost laptop', 'suspicious login', 'cctv', 'visitor pass', 'usb stick', 'firewall rule', 'certificate'],
  },
  {
    name: 'Operations',
    share: 0.1,
    staff: 15,
    categories: ['Logistics', 'Fleet', 'Warehouse', 'Shipping', 'Suppliers'],
    subjects: ['delivery', 'forklift', 'truck', 'pallet', 'scanner', 'shipment', 'loading dock', 'stock count', 'label printer', 'courier'],
  },
  {
    name: 'Legal',
    share: 0.05,
    staff: 6,
    categories: ['Contracts', 'Compliance', 'Privacy', 'Intellectual property', 'Disputes'],
    subjects: ['nda', 'contract review', 'gdpr request', 'trademark', 'data processing agreement', 'policy question', 'subpoena', 'licence audit'],
  },
  {
    name: 'Procurement',
    share: 0.05,
    staff: 6,
    categories: ['New supplier', 'Tenders', 'Catalogue', 'Orders', 'Returns'],
    subjects: ['supplier onboarding', 'tender', 'catalogue item', 'order status', 'return', 'quote', 'framework agreement', 'price change'],
  },
];

/** What goes wrong, most frequent first. */
export const PROBLEMS = [
  'not working', 'broken', 'slow', 'keeps failing', 'missing', 'does not start', 'error', 'needs replacing', 'stopped working',
  'cannot access', 'intermittent', 'wrong', 'request', 'locked', 'noisy', 'overdue', 'duplicated', 'expired', 'blocked', 'leaking',
];

export const PLACES = [
  'floor 1', 'floor 2', 'floor 3', 'floor 4', 'reception', 'meeting room', 'warehouse', 'canteen', 'head office', 'branch office',
  'lab', 'basement', 'north wing', 'south wing', 'home office', 'training room', 'server room', 'car park', 'roof', 'annex',
];

/** Free text: the words descriptions are made of, most frequent first. */
export const WORDS = (
  'the since this morning we it is and again after update when trying to our team all users cannot please help urgent ' +
  'error message shows screen restart tried already twice yesterday colleague also same issue every time before meeting ' +
  'customer deadline today tomorrow week impact blocking work nobody office remote connection lost intermittently ' +
  'reported earlier ticket still open no response waiting approval manager asked escalate priority high low critical ' +
  'access denied permission request new account setup configuration change broken replaced spare part order delivery ' +
  'invoice payment overdue supplier contract signed review legal compliance audit data privacy personal information ' +
  'backup restore file folder shared drive deleted accidentally version history recovery storage full quota exceeded ' +
  'battery charger cable adapter dock usb port hdmi display flickering resolution driver firmware bios boot loop ' +
  'blue screen crash freeze hang timeout latency packet loss dns proxy certificate expired renewal token authenticator ' +
  'sms code reset unlock locked out attempts policy rotation expiry reminder notification calendar invite room booking ' +
  'projector speaker microphone headset camera video call audio echo noise temperature cold hot draught leak ceiling ' +
  'stain carpet cleaning bin smell pest lift stuck alarm sensor badge reader turnstile visitor parking barrier ' +
  'payroll salary payslip deduction tax bonus overtime holiday allowance pension benefits insurance sick leave ' +
  'onboarding starter leaver offboarding equipment return induction training course certificate budget approval ' +
  'expense claim receipt mileage travel hotel flight booking cancellation refund reimbursement credit card limit ' +
  'phishing suspicious link attachment malware quarantine antivirus scan firewall vpn tunnel gateway intrusion ' +
  'forklift pallet shipment courier tracking label scanner stock inventory count discrepancy damaged goods return ' +
  'tender quote framework catalogue price increase discount terms conditions renewal notice termination dispute ' +
  'trademark patent licence subpoena regulator deadline filing evidence retention archive destruction schedule ' +
  'mainframe ldap kerberos saml oauth webhook cron queue rabbitmq postgres kubernetes pod node cluster helm ' +
  'grafana prometheus alertmanager pagerduty jenkins pipeline artifact registry terraform ansible vault rollout ' +
  'zebra honeywell lenovo thinkpad dell latitude macbook iphone android samsung cisco meraki aruba fortinet'
).split(' ')
  .filter((word, index, all) => all.indexOf(word) === index);

/** Made-up words for the long tail of the vocabulary: three of these make one. */
export const SYLLABLES = ['ba', 'ke', 'lo', 'mi', 'nu', 'ra', 'se', 'ti', 'vo', 'za', 'an', 'el', 'in', 'or', 'us', 'tra', 'pre', 'con', 'dex', 'fil', 'gor', 'ham', 'jet', 'kin'];
