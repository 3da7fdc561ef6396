/**
 * The demo organisation: three departments, their people, categories, the incidents of today
 * (`problems`, one per status) and what their eight weeks of history are made of (`history`:
 * problems with `{placeholders}` filled from `variants`, and what people write on them).
 */

export interface DemoDepartment {
  name: string;
  slug: string;
  /** People with names of their own: avatars and lists tell them apart. */
  people: { manager: string; staff: readonly [string, string]; reporters: readonly [string, string] };
  description: string;
  categories: readonly string[];
  /** Today's incidents: [title, description]. */
  problems: readonly (readonly [string, string])[];
  history: {
    /** [title, description, index of the category] */
    problems: readonly (readonly [string, string, number])[];
    /** Questions staff ask the reporter, and what the reporter answers. */
    questions: readonly (readonly [string, string])[];
    /** Internal notes staff leave for each other. */
    notes: readonly string[];
    /** What staff write when they resolve it. */
    fixes: readonly string[];
  };
}

/** Fills `{name}` in history texts; the same problem reads differently each time it comes back. */
export const VARIANTS: Record<string, readonly string[]> = {
  floor: ['1', '2', '3', '4', '5'],
  room: ['1.04', '2.11', '2.17', '3.02', '3.14', '4.08', '5.01'],
  meetingRoom: ['Amsterdam', 'Lisbon', 'Oslo', 'Vienna', 'Dublin', 'Porto'],
  app: ['Outlook', 'Teams', 'Excel', 'the CRM', 'SAP', 'Zoom', 'Chrome', 'the expense tool'],
  device: ['laptop', 'docking station', 'headset', 'monitor', 'keyboard', 'phone'],
  month: ['September', 'October', 'November'],
  team: ['sales', 'support', 'finance', 'marketing', 'logistics', 'engineering'],
  starter: ['Maria Costa', 'Jonas Berg', 'Aiko Sato', 'Leon Fischer', 'Grace Mensah', 'Tomás Ruiz'],
};

const GENERIC_QUESTIONS = [
  ['Could you tell us since when exactly this happens?', 'Since yesterday morning, as far as I can tell.'],
  ['Does it happen to colleagues too, or only to you?', 'Two people next to me have the same problem.'],
  ['Can you send a photo or a screenshot?', 'Attached one to my mail to the team, hope that helps.'],
] as const;

export const DEPARTMENTS: readonly DemoDepartment[] = [
  {
    name: 'IT',
    slug: 'it',
    people: { manager: 'Maria Santos', staff: ['Daniel Okafor', 'Priya Nair'], reporters: ['Lukas Weber', 'Emma Johansson'] },
    description: 'Laptops, accounts, network and software',
    categories: ['Network', 'Hardware', 'Accounts and access', 'Software'],
    problems: [
      ['VPN drops every hour', 'Since Monday the VPN disconnects about every hour and I lose my session.'],
      ['Laptop will not boot', 'Black screen after the logo; the charger light is on.'],
      ['Cannot open the shared drive', 'Access denied on \\\\files\\finance since this morning.'],
      ['Outlook keeps asking for my password', 'The prompt comes back every few minutes.'],
      ['Wi-Fi weak in meeting room 4', 'Calls freeze; the signal shows one bar.'],
      ['New starter needs an account', 'Maria Costa starts on the 3rd, sales team.'],
      ['Printer on floor 3 jams', 'Every second page jams since the toner change.'],
      ['Monitor flickers', 'The left monitor flickers when the window moves.'],
    ],
    history: {
      problems: [
        ['VPN disconnects when working from home', 'The VPN drops every 20 to 40 minutes and {app} loses its connection.', 0],
        ['Wi-Fi drops in meeting room {meetingRoom}', 'Video calls freeze and then the laptop switches to the guest network.', 0],
        ['No network at desk on floor {floor}', 'The cable is plugged in but the laptop says "no internet".', 0],
        ['{app} crashes on start', 'It opens, shows the logo and closes again. Restarting did not help.', 3],
        ['{app} very slow since the update', 'Every click takes several seconds since the update this week.', 3],
        ['Cannot install {app}', 'The software centre stops the installation with error 0x80070643.', 3],
        ['Broken {device}', 'My {device} stopped working this morning; I need a replacement.', 1],
        ['Laptop overheats and shuts down', 'The fan is loud and after about an hour the laptop switches itself off.', 1],
        ['Printer on floor {floor} prints blank pages', 'Pages come out empty although the toner was changed last week.', 1],
        ['Account locked', 'I typed my password wrong a few times and now I cannot sign in anywhere.', 2],
        ['Access to the {team} shared folder', 'I moved to the {team} team and need access to their folder.', 2],
        ['Account for new starter {starter}', '{starter} joins the {team} team on Monday and needs a laptop and an account.', 2],
        ['Multi-factor prompt never arrives', 'The sign-in waits for the approval on my phone but nothing arrives.', 2],
        ['Mailbox full', '{app} says my mailbox is full and I cannot send mail.', 3],
        ['Screen sharing not working in {app}', 'Others only see a black screen when I share.', 3],
        ['Projector in {meetingRoom} shows no picture', 'The projector finds no signal from any laptop.', 1],
      ],
      questions: [
        ...GENERIC_QUESTIONS,
        ['Could you send us the asset number on the sticker under the laptop?', 'It is NB-20{floor}4, sticker on the bottom left.'],
        ['Did you restart after the last update?', 'Yes, twice. No change.'],
      ],
      notes: [
        'Same cause as last week: the certificate on the VPN gateway. Ticket with the vendor is open.',
        'Replacement device is in the cupboard on floor 2, shelf B.',
        'Checked the logs: the account was locked by an old phone still syncing mail with the old password.',
        'Needs approval from the team lead before we grant access.',
        'Known issue with the latest update; the vendor promises a fix next week.',
      ],
      fixes: [
        'Replaced the device; please check that everything works for you.',
        'Reset the settings and reinstalled it; it starts normally again.',
        'Access granted; it can take up to an hour until you see the folder.',
        'The access point in that area was replaced. Signal should be good again.',
        'Unlocked the account and removed the old device from the sync list.',
      ],
    },
  },
  {
    name: 'Facilities',
    slug: 'facilities',
    people: { manager: 'Tom Becker', staff: ['Aisha Rahman', 'Marco Rossi'], reporters: ['Sofia Alvarez', 'James Carter'] },
    description: 'Buildings, rooms, heating, cleaning and access badges',
    categories: ['Heating and air', 'Cleaning', 'Doors and badges', 'Furniture'],
    problems: [
      ['Office too cold on floor 2', 'The thermostat shows 17 °C although it is set to 21 °C.'],
      ['Badge reader at the side door broken', 'It beeps red for every badge.'],
      ['Coffee machine leaking', 'Water on the kitchen floor on floor 1.'],
      ['Desk chair broken', 'The height lever does not hold any more.'],
      ['Light flickering in the stairwell', 'Between floors 2 and 3.'],
      ['Meeting room 2 not cleaned', 'Yesterday\'s catering is still there.'],
      ['Window does not close', 'Room 3.14, the handle turns without locking.'],
      ['Lift out of service', 'The left lift stops at floor 2 with the doors open.'],
    ],
    history: {
      problems: [
        ['Too warm in room {room}', 'It is 27 °C in the afternoon; the air conditioning seems to be off.', 0],
        ['Heating not working on floor {floor}', 'The radiators stay cold although the thermostat is on 22 °C.', 0],
        ['Draught from the window in room {room}', 'Cold air comes in along the frame; the seal looks broken.', 0],
        ['Kitchen on floor {floor} not cleaned', 'Dishes and rubbish from yesterday are still there.', 1],
        ['Spilled coffee on the carpet in {meetingRoom}', 'A large stain next to the table; it needs a proper clean.', 1],
        ['Toilets on floor {floor} out of paper', 'Both toilets, since this morning.', 1],
        ['Badge does not open the {floor}. floor door', 'My badge works downstairs but not on floor {floor}.', 2],
        ['Badge for new starter {starter}', '{starter} starts in {team} next week and needs a badge for floors 1 to {floor}.', 2],
        ['Front door closes too slowly', 'The main entrance stays open for a long time after each person.', 2],
        ['Locker key lost', 'I lost the key of locker {room}; is there a spare one?', 2],
        ['Desk wobbles', 'One leg of the desk by the window in room {room} is loose.', 3],
        ['Chair for standing desk needed', 'I have a standing desk in room {room} but only a normal chair.', 3],
        ['Whiteboard in {meetingRoom} falling off the wall', 'It hangs on one screw only.', 3],
        ['Blinds stuck in room {room}', 'The blinds stay half-way down; the sun shines on the screens.', 3],
        ['Light broken in meeting room {meetingRoom}', 'Half of the ceiling lights are out.', 0],
      ],
      questions: [
        ...GENERIC_QUESTIONS,
        ['Is the room free tomorrow morning so we can come by?', 'Yes, it is free until 11.'],
        ['Which desk exactly? The room has several.', 'The one by the window, next to the plant.'],
      ],
      notes: [
        'The heating contractor comes on Thursday; already booked.',
        'Spare keys are with the front desk.',
        'Part ordered, delivery in three days.',
        'The cleaning company was told; they missed the room twice this month.',
        'Badge profiles are synced overnight, so the fix shows tomorrow.',
      ],
      fixes: [
        'Fixed by the technician this morning; let us know if it happens again.',
        'Cleaned; we asked the cleaning company to add it to the daily round.',
        'Your badge profile was updated; it should open the door now.',
        'Replaced the broken part.',
        'Delivered and set up at your desk.',
      ],
    },
  },
  {
    name: 'HR',
    slug: 'hr',
    people: { manager: 'Hannah Schmidt', staff: ['Kenji Tanaka', 'Olivia Brown'], reporters: ['Noah Dubois', 'Chloé Martin'] },
    description: 'Payroll, leave, contracts and onboarding',
    categories: ['Payroll', 'Leave', 'Onboarding', 'Documents'],
    problems: [
      ['Payslip missing for last month', 'The portal shows nothing for October.'],
      ['Leave balance looks wrong', 'It says 3 days; I had 12 before my leave in August.'],
      ['Need an employment certificate', 'For a flat application, by Friday if possible.'],
      ['Onboarding checklist not assigned', 'New starter in the support team has no checklist.'],
      ['Bank details change', 'I changed banks; how do I update payroll?'],
      ['Overtime not paid', 'Overtime from the September release weekend is missing.'],
      ['Parental leave question', 'How early do I have to announce parental leave?'],
      ['Contract copy needed', 'I cannot find the signed copy of my contract.'],
    ],
    history: {
      problems: [
        ['Payslip for {month} missing', 'The payroll portal shows no payslip for {month}.', 0],
        ['Wrong tax class on payslip', 'My {month} payslip uses the old tax class although I reported the change.', 0],
        ['Travel expenses not reimbursed', 'I submitted my travel expenses for {month} in the expense tool; nothing was paid yet.', 0],
        ['Overtime from {month} missing', 'The overtime I logged in {month} is not on my payslip.', 0],
        ['Leave request stuck', 'My leave request has been waiting for approval for two weeks.', 1],
        ['Sick note upload fails', 'The upload of my sick note gives an error.', 1],
        ['Leave balance wrong after carry-over', 'The days carried over from last year are missing.', 1],
        ['Onboarding plan for {starter}', '{starter} joins {team} next month; please set up the onboarding plan.', 2],
        ['Buddy for new starter {starter}', 'Who will be the buddy of {starter} in {team}?', 2],
        ['Training budget question', 'How much of the training budget is left for the {team} team?', 2],
        ['Employment certificate needed', 'I need an employment certificate for my bank, in English.', 3],
        ['Change of address', 'I moved; please update my address for payroll and letters.', 3],
        ['Copy of my contract amendment', 'I cannot find the amendment from my move to {team}.', 3],
        ['Reference letter', 'I need a reference letter for a course application.', 3],
      ],
      questions: [
        ...GENERIC_QUESTIONS,
        ['Could you tell us your personnel number?', 'It is 10{floor}37.'],
        ['Do you need it signed on paper, or is a PDF fine?', 'A signed PDF is fine.'],
      ],
      notes: [
        'Payroll provider confirmed the error; correction runs with the next payroll.',
        'Waiting for the manager to approve.',
        'Template for the certificate is in the HR drive under Documents/Letters.',
        'Checked with the works council: the request is fine.',
        'Leave system had an import error for this team; fixed for everyone.',
      ],
      fixes: [
        'Done; you will find the document in your inbox in the HR portal.',
        'Corrected; the difference is paid with the next salary.',
        'Updated in the payroll system.',
        'Approved and booked.',
        'The plan is set up and the team lead has been told.',
      ],
    },
  },
];
