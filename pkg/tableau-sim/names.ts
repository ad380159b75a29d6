/** Word lists for realistic generated people, groups and content. */
export const FIRST_NAMES = [
  'Ada', 'Alan', 'Amara', 'Ana', 'Arjun', 'Beatriz', 'Ben', 'Chen', 'Chloe', 'Daniel', 'Dmitri', 'Elena',
  'Emeka', 'Fatima', 'Felix', 'Grace', 'Hana', 'Hugo', 'Ines', 'Isaac', 'Jamal', 'Jana', 'Jorge', 'Julia',
  'Kai', 'Kenji', 'Lara', 'Leo', 'Lucia', 'Maya', 'Mehmet', 'Mia', 'Nadia', 'Noah', 'Olga', 'Omar',
  'Priya', 'Rafael', 'Rosa', 'Sami', 'Sara', 'Sofia', 'Tariq', 'Theo', 'Uma', 'Victor', 'Wei', 'Yara',
  'Yusuf', 'Zoe',
];

export const LAST_NAMES = [
  'Abe', 'Adeyemi', 'Alvarez', 'Bauer', 'Becker', 'Chowdhury', 'Costa', 'Dubois', 'Eriksen', 'Fischer',
  'Garcia', 'Gupta', 'Hansen', 'Ito', 'Ivanova', 'Jensen', 'Kim', 'Kowalski', 'Larsen', 'Lopez', 'Martin',
  'Meyer', 'Moreau', 'Nakamura', 'Nguyen', 'Novak', 'Okafor', 'Olsen', 'Patel', 'Petrov', 'Quinn', 'Rossi',
  'Santos', 'Schmidt', 'Silva', 'Singh', 'Smith', 'Tanaka', 'Tran', 'Uddin', 'Varga', 'Wagner', 'Walsh',
  'Weber', 'Williams', 'Xu', 'Yilmaz', 'Young', 'Zhang', 'Zimmer',
];

export const TEAMS = [
  'Finance', 'Sales', 'Marketing', 'Engineering', 'Support', 'Operations', 'Legal', 'HR', 'Analytics',
  'Product', 'Security', 'Procurement', 'Logistics', 'Research', 'Design', 'Executive',
];

export const GROUP_SUFFIXES = ['Analysts', 'Viewers', 'Leads', 'Admins', 'EMEA', 'AMER', 'APAC', 'Contractors'];

export const CONTENT_TOPICS = ['Revenue', 'Pipeline', 'Churn', 'Headcount', 'Inventory', 'Tickets', 'Usage', 'Budget'];
