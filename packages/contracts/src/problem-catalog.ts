/**
 * Every problem the platform answers with, by its `code`: what it means and what to do next.
 * A problem's `type` (`/problems/<slug>`) is served as a page made from its entry, by every
 * service and the gateway, so the URI a client holds always resolves. `AppError` takes only
 * these codes: a new problem needs its entry here first.
 */
export interface ProblemEntry {
  status: number;
  title: string;
  /** What it means, in a sentence or two. */
  meaning: string;
  /** What the client (or the person behind it) can do about it. */
  next: string;
}

export const PROBLEM_CATALOG = {
  'VALIDATION.FAILED': {
    status: 400,
    title: 'The request has invalid fields',
    meaning: 'One or more values of the body, query, path or headers do not match the contract. `errors` names each one: `location`, a JSON Pointer `path` into that part, and a `message`.',
    next: 'Correct the fields `errors` names and send the request again. Parameters the route does not know are ignored; unknown body fields are refused.',
  },
  'VALIDATION.UNSTORABLE_TEXT': {
    status: 400,
    title: 'The text cannot be stored',
    meaning: 'A text value holds a character sequence the database cannot store (such as an unpaired surrogate or an invalid byte sequence).',
    next: 'Send the text as valid UTF-8 without control characters like U+0000.',
  },
  'HTTP.BAD_REQUEST': {
    status: 400,
    title: 'The request could not be read',
    meaning: 'The HTTP request itself is malformed (for example a broken header or request line).',
    next: 'Check the HTTP client; send a well-formed request.',
  },
  'HTTP.MALFORMED_JSON': {
    status: 400,
    title: 'The body is not valid JSON',
    meaning: 'The request says it carries JSON, but the body does not parse.',
    next: 'Send a valid JSON object with `Content-Type: application/json`.',
  },
  'HTTP.NOT_FOUND': {
    status: 404,
    title: 'No such route',
    meaning: 'Nothing is served at this path.',
    next: 'Check the path against the API reference at `/docs` (or `/openapi.json`).',
  },
  'HTTP.METHOD_NOT_ALLOWED': {
    status: 405,
    title: 'The method is not allowed here',
    meaning: 'The path exists, but not with this HTTP method. The `Allow` header lists the methods it takes.',
    next: 'Use one of the methods in `Allow`.',
  },
  'HTTP.PAYLOAD_TOO_LARGE': {
    status: 413,
    title: 'The body is too large',
    meaning: 'The request body is larger than the service accepts.',
    next: 'Send a smaller body; the detail states the limit.',
  },
  'HTTP.UNSUPPORTED_MEDIA_TYPE': {
    status: 415,
    title: 'The body has a content type the route does not take',
    meaning: 'A body was sent without `Content-Type`, or with one the route does not read.',
    next: 'Send the body as JSON with `Content-Type: application/json` (the token endpoint also takes `application/x-www-form-urlencoded`).',
  },
  'HTTP.UNSUPPORTED_CHARSET': {
    status: 415,
    title: 'The body has a character set the route does not take',
    meaning: 'The `Content-Type` names a charset other than UTF-8.',
    next: 'Send the body in UTF-8.',
  },
  'HTTP.UNSUPPORTED_ENCODING': {
    status: 415,
    title: 'The body has a content encoding the route does not take',
    meaning: 'The `Content-Encoding` of the body is not one the service decodes.',
    next: 'Send the body uncompressed, or gzip/deflate encoded.',
  },
  'HTTP.HEADERS_TOO_LARGE': {
    status: 431,
    title: 'The request line or headers are too large',
    meaning: 'The URL or the headers together exceed what the server reads.',
    next: 'Shorten the URL (fewer or shorter query parameters) or the headers.',
  },
  'AUTH.TOKEN_MISSING': {
    status: 401,
    title: 'Sign-in required',
    meaning: 'The request needs an access token and carries none.',
    next: 'Sign in (`POST /auth/login`, or `POST /oauth/token` for a service account) and send `Authorization: Bearer <accessToken>`.',
  },
  'AUTH.INVALID_TOKEN': {
    status: 401,
    title: 'The access token is not valid',
    meaning: 'The token is malformed, expired, signed by an unknown key, or meant for another issuer or audience.',
    next: 'Refresh it (`POST /auth/refresh`) or sign in again.',
  },
  'AUTH.TOKEN_REVOKED': {
    status: 401,
    title: 'The access token no longer stands',
    meaning: 'The account was deactivated, or its role or department changed, after the token was issued.',
    next: 'Sign in again to get a token for the account as it is now.',
  },
  'AUTH.INVALID_CREDENTIALS': {
    status: 401,
    title: 'Wrong email or password',
    meaning: 'No active account has this email and password (or this client id and secret).',
    next: 'Check the credentials; an admin can reset a password or reactivate an account.',
  },
  'AUTH.INVALID_REFRESH_TOKEN': {
    status: 401,
    title: 'The refresh token is not valid',
    meaning: 'The refresh token is unknown, expired or already ended.',
    next: 'Sign in again.',
  },
  'AUTH.REFRESH_TOKEN_REUSED': {
    status: 401,
    title: 'The refresh token was used twice',
    meaning: 'A refresh token that had already been exchanged was presented again, so the whole sign-in was ended in case the token was stolen.',
    next: 'Sign in again; keep only the newest refresh token.',
  },
  'AUTH.TOO_MANY_ATTEMPTS': {
    status: 429,
    title: 'Too many sign-in attempts',
    meaning: 'Sign-in for this account or address failed too often in a short time.',
    next: 'Wait for the time in `Retry-After`, then try again.',
  },
  'AUTH.FORBIDDEN': {
    status: 403,
    title: 'Your role may not do this',
    meaning: 'The caller is signed in, but the route needs another role.',
    next: 'Ask an admin if you need the access; the detail names the roles.',
  },
  'AUTH.INSUFFICIENT_SCOPE': {
    status: 403,
    title: 'The service account lacks a scope',
    meaning: 'The service account token does not carry the scope this route needs.',
    next: 'Have an admin grant the scope to the service account, then get a new token.',
  },
  'AUTH.INTERNAL_TOKEN': {
    status: 401,
    title: 'Internal endpoints need the internal token',
    meaning: 'The `/internal/*` endpoints are for the platform\'s own services and need `INTERNAL_API_TOKEN`.',
    next: 'Call them from a platform service with the configured token; other systems use the public API.',
  },
  'GATEWAY.RATE_LIMITED': {
    status: 429,
    title: 'Too many requests',
    meaning: 'The caller sent more requests than its share in a short time.',
    next: 'Wait for the time in `Retry-After`, then try again; spread requests out.',
  },
  'GATEWAY.UPSTREAM_UNAVAILABLE': {
    status: 503,
    title: 'A service is not reachable',
    meaning: 'The service that owns this route is down or restarting.',
    next: 'Try again shortly; safe to retry for reads and for writes with an `Idempotency-Key`.',
  },
  'GATEWAY.UPSTREAM_TIMEOUT': {
    status: 504,
    title: 'A service did not answer in time',
    meaning: 'The service that owns this route took longer than the gateway waits.',
    next: 'Try again; a write may have happened, so check before repeating it (or use an `Idempotency-Key`).',
  },
  'GATEWAY.BAD_UPSTREAM_RESPONSE': {
    status: 502,
    title: 'A service answered badly',
    meaning: 'The service that owns this route failed to answer properly.',
    next: 'Try again; if it persists, report the `requestId`.',
  },
  'INTERNAL.UNEXPECTED': {
    status: 500,
    title: 'Something went wrong on our side',
    meaning: 'The request met an error the service did not expect. Nothing about it is the caller\'s fault.',
    next: 'Try again; if it persists, report the `requestId` to the desk\'s operators.',
  },
  'INCIDENT.NOT_FOUND': {
    status: 404,
    title: 'No such incident',
    meaning: 'There is no incident with this id or key that the caller may see.',
    next: 'Check the id or key (like `INC-000042`); incidents of other departments are not visible to staff.',
  },
  'INCIDENT.FORBIDDEN': {
    status: 403,
    title: 'You may not change this incident that way',
    meaning: 'The caller may see the incident, but not make this change (the detail says which).',
    next: 'Ask the department\'s manager or an admin.',
  },
  'INCIDENT.FORBIDDEN_DEPARTMENT': {
    status: 403,
    title: 'Another department\'s incidents',
    meaning: 'Staff and managers may list only their own department\'s incidents.',
    next: 'Leave out `departmentId`, or give your own.',
  },
  'INCIDENT.INVALID_TRANSITION': {
    status: 409,
    title: 'The incident cannot move to that status',
    meaning: 'The lifecycle does not allow this move from the incident\'s current status.',
    next: 'Read the incident and choose a status its current one leads to (OPEN → IN_PROGRESS → RESOLVED → CLOSED; CANCELLED from OPEN or IN_PROGRESS; RESOLVED may be re-opened).',
  },
  'INCIDENT.FINAL': {
    status: 409,
    title: 'The incident is closed or cancelled',
    meaning: 'A CLOSED or CANCELLED incident no longer changes.',
    next: 'File a new incident if the problem is back.',
  },
  'INCIDENT.VERSION_MISMATCH': {
    status: 412,
    title: 'The incident changed meanwhile',
    meaning: 'The `If-Match` (or `version`) sent does not match the incident\'s current version: someone else changed it.',
    next: 'Read the incident again, re-apply your change to what it is now, and send it with the new ETag.',
  },
  'INCIDENT.INVALID_ASSIGNEE': {
    status: 422,
    title: 'The assignee cannot take the incident',
    meaning: 'The assignee must be an active staff member or manager of the incident\'s department.',
    next: 'Choose someone from the department\'s people.',
  },
  'INCIDENT.CATEGORY_NOT_FOUND': {
    status: 422,
    title: 'No such category',
    meaning: 'The category given does not exist.',
    next: 'Pick a category from `GET /categories`.',
  },
  'INCIDENT.CATEGORY_INACTIVE': {
    status: 422,
    title: 'The category takes no new incidents',
    meaning: 'The category was deactivated by an admin.',
    next: 'Pick an active category from `GET /categories`.',
  },
  'INCIDENT.IDEMPOTENCY_KEY_REUSED': {
    status: 422,
    title: 'The Idempotency-Key belongs to another request',
    meaning: 'The key was used before with a different body or by another caller.',
    next: 'Use a new key for a new incident; repeat a key only to retry the same request.',
  },
  'INCIDENT.NOT_IN_PROGRESS': {
    status: 409,
    title: 'The incident is not in progress',
    meaning: 'Only an incident IN_PROGRESS can wait on its reporter.',
    next: 'Start work on the incident (status IN_PROGRESS) first.',
  },
  'INCIDENT.ALREADY_WAITING': {
    status: 409,
    title: 'The incident already waits on its reporter',
    meaning: 'A question to the reporter is open; the incident waits for the answer.',
    next: 'Add a comment to ask more, or stop waiting (`DELETE /incidents/{id}/waiting`) first.',
  },
  'CATEGORY.NOT_FOUND': {
    status: 404,
    title: 'No such category',
    meaning: 'There is no category with this id.',
    next: 'List the categories with `GET /categories`.',
  },
  'CATEGORY.NAME_TAKEN': {
    status: 409,
    title: 'The category name is taken',
    meaning: 'The department already has a category with this name (names compare without case).',
    next: 'Choose another name, or use the existing category.',
  },
  'CATEGORY.DEPARTMENT_NOT_FOUND': {
    status: 422,
    title: 'No such department',
    meaning: 'The category\'s department does not exist.',
    next: 'Pick a department from `GET /departments`.',
  },
  'CALENDAR.NOT_FOUND': {
    status: 404,
    title: 'No such calendar',
    meaning: 'There is no calendar with this id.',
    next: 'List the calendars with `GET /calendars`.',
  },
  'CALENDAR.UNKNOWN': {
    status: 422,
    title: 'No such calendar',
    meaning: 'The calendar named in the request does not exist.',
    next: 'Pick a calendar from `GET /calendars`, or send null for the default calendar.',
  },
  'CALENDAR.NAME_TAKEN': {
    status: 409,
    title: 'The calendar name is taken',
    meaning: 'There is already a calendar with this name (names compare without case).',
    next: 'Choose another name, or change the existing calendar.',
  },
  'CALENDAR.INVALID': {
    status: 422,
    title: 'The calendar cannot be used',
    meaning: 'The time zone is unknown, working hours overlap or end before they start, no day has working hours, or a closure ends before it starts. `errors` names the field.',
    next: 'Correct the field named in `errors`; time zones are IANA names such as `Europe/Berlin`.',
  },
  'CALENDAR.IS_DEFAULT': {
    status: 409,
    title: 'The default calendar cannot be deleted',
    meaning: 'Every department without a calendar of its own uses the default calendar.',
    next: 'Make another calendar the default (`PATCH /calendars/{id}` with `isDefault: true`), then delete this one.',
  },
  'CALENDAR.VERSION_MISMATCH': {
    status: 412,
    title: 'The calendar changed',
    meaning: 'The calendar is no longer at the version the request named.',
    next: 'Read the calendar again and make your change on what it is now.',
  },
  'CALENDAR.DEPARTMENT_NOT_FOUND': {
    status: 404,
    title: 'No such department',
    meaning: 'There is no department with this id.',
    next: 'Pick a department from `GET /departments`.',
  },
  'PRIORITY_MATRIX.INCOMPLETE': {
    status: 422,
    title: 'The priority matrix has empty cells',
    meaning: 'Every combination of impact and urgency needs a priority. `errors` names each empty cell.',
    next: 'Give a priority for every cell named in `errors` and send the whole matrix again.',
  },
  'CATEGORY.INVALID_ASSIGNEE': {
    status: 422,
    title: 'Not someone who works the department',
    meaning: "The default assignee must be an active staff member or manager of the category's department.",
    next: 'Pick someone from `GET /availability?departmentId=…`, or send null for no default assignee.',
  },
  'AVAILABILITY.NOT_STAFF': {
    status: 422,
    title: 'Not someone who works incidents',
    meaning: 'Availability is kept for active staff and managers only.',
    next: 'Pick a staff member or manager from `GET /availability?departmentId=…`.',
  },
  'AVAILABILITY.USER_NOT_FOUND': {
    status: 404,
    title: 'No such person',
    meaning: 'There is no user with this id that you may see.',
    next: 'Pick a person from `GET /availability?departmentId=…`.',
  },
  'ESCALATION_RULE.NOT_FOUND': {
    status: 404,
    title: 'No such escalation rule',
    meaning: 'There is no escalation rule with this id.',
    next: 'List the rules with `GET /escalation-rules`.',
  },
  'ESCALATION_RULE.INVALID': {
    status: 422,
    title: 'The escalation rule cannot work',
    meaning: 'Raising the priority and reassigning happen at the breach only (`thresholdPercent` 100), and a rule must do something. `errors` names the field.',
    next: 'Set `thresholdPercent` to 100 for actions at the breach, or leave them out; tell someone or act.',
  },
  'COMMENT.NOT_FOUND': {
    status: 404,
    title: 'No such comment',
    meaning: 'There is no comment with this id on an incident the caller may see.',
    next: 'List the incident\'s comments to find it.',
  },
  'COMMENT.INTERNAL_FORBIDDEN': {
    status: 403,
    title: 'Internal notes are for the department',
    meaning: 'Only the incident department\'s staff, its managers and admins write or read internal notes.',
    next: 'Write a public comment instead.',
  },
  'COMMENT.MENTION_NOT_ALLOWED': {
    status: 422,
    title: 'Someone mentioned may not read it',
    meaning: 'The comment mentions a person who may not see the incident (or, for an internal note, may not read internal notes), or no such person exists. Nothing was saved, and nobody was told.',
    next: 'Take the mention out, or add the person as a watcher first (`PUT /incidents/{id}/watchers/{userId}`). `GET /incidents/{id}/mentionable` lists who may be mentioned.',
  },
  'WATCHER.FORBIDDEN': {
    status: 403,
    title: 'You may not change who else watches this incident',
    meaning: 'Anyone who may see an incident may watch it or stop; adding or removing someone else is for its reporter, the department\'s staff and managers, and admins.',
    next: 'Ask the reporter or the department to add them.',
  },
  'WATCHER.PERSON_NOT_FOUND': {
    status: 404,
    title: 'No such person',
    meaning: 'There is no active person with this user id.',
    next: 'Check the id; a deactivated account cannot watch incidents.',
  },
  'WATCHER.LIMIT_REACHED': {
    status: 409,
    title: 'Too many watchers',
    meaning: 'The incident already has the most watchers one incident may have.',
    next: 'Remove watchers who no longer need it, or declare a major incident, whose updates reach the reporters of its child incidents too.',
  },
  'LINK.NOT_FOUND': {
    status: 404,
    title: 'No such link',
    meaning: 'This incident has no link with this id that the caller may see.',
    next: 'List the incident\'s links with `GET /incidents/{id}/links`.',
  },
  'LINK.INVALID': {
    status: 422,
    title: 'The incidents cannot be linked that way',
    meaning: 'The link would make no sense: an incident linked to itself, a second parent, a loop of parents and children, a duplicate of a duplicate, a closed incident marked duplicate, or a major incident marked duplicate. The detail says which.',
    next: 'Choose another incident or another kind of link.',
  },
  'LINK.EXISTS': {
    status: 409,
    title: 'The incidents are linked already',
    meaning: 'These two incidents already have a link between them.',
    next: 'Remove the existing link first to link them another way.',
  },
  'MAJOR.NOT_FOUND': {
    status: 404,
    title: 'Not a major incident',
    meaning: 'The incident has not been declared a major incident.',
    next: 'A manager of its department or an admin declares it with `POST /incidents/{id}/major`.',
  },
  'MAJOR.ALREADY_DECLARED': {
    status: 409,
    title: 'Already a major incident',
    meaning: 'The incident was declared a major incident before.',
    next: 'Post a status update with `POST /incidents/{id}/major/updates` instead.',
  },
  'MAJOR.REVIEW_REQUIRED': {
    status: 409,
    title: 'The post-incident review comes first',
    meaning: 'A major incident closes only once its post-incident review (what happened, the impact, the follow-ups) is written.',
    next: 'A manager of its department or an admin writes it with `PUT /incidents/{id}/review`; then close it.',
  },
  'ATTACHMENT.NOT_FOUND': {
    status: 404,
    title: 'No such attachment',
    meaning: 'There is no attachment with this id on an incident the caller may see, or it is internal and the caller may not see internal attachments.',
    next: 'List the incident\'s attachments with `GET /incidents/{id}/attachments` to find it.',
  },
  'ATTACHMENT.TOO_LARGE': {
    status: 413,
    title: 'The file is too large',
    meaning: 'The file is larger than the platform accepts for one attachment; the detail states the limit. Nothing was kept.',
    next: 'Send a smaller file (compress a log, crop a screenshot), or split it into several attachments.',
  },
  'ATTACHMENT.TYPE_REFUSED': {
    status: 415,
    title: 'This type of file is not accepted',
    meaning: 'The file\'s content (its first bytes, not only its name) is not of a type the platform accepts, or its name\'s extension does not match its content. The detail names the type found. HTML, SVG and programs are never accepted.',
    next: 'Send an image, a PDF, an office document, an archive or plain text with the extension its content has; the detail lists the accepted types.',
  },
  'ATTACHMENT.MALFORMED_UPLOAD': {
    status: 400,
    title: 'The upload could not be read',
    meaning: 'The body is not a complete `multipart/form-data` body with one part named `file`, or a form field is not valid (`errors` names it). Nothing was kept.',
    next: 'Send `multipart/form-data` with the file in a part named `file` (and optional `isInternal`, `commentId` fields before it).',
  },
  'ATTACHMENT.SCANNING': {
    status: 409,
    title: 'The file is still being checked',
    meaning: 'The attachment is held until the malware scanner has read it; it cannot be downloaded yet.',
    next: 'Try again in a few seconds; `Retry-After` says when. The attachment\'s `status` becomes `available`.',
  },
  'ATTACHMENT.INFECTED': {
    status: 410,
    title: 'The file was found to be malicious',
    meaning: 'The malware scanner found something in this file; its content was deleted and cannot be downloaded. `statusReason` on the attachment names what was found.',
    next: 'Ask whoever uploaded it for a clean copy.',
  },
  'ATTACHMENT.DELETE_FORBIDDEN': {
    status: 403,
    title: 'Only its uploader or the department may delete an attachment',
    meaning: 'An attachment is deleted by the person who uploaded it, or by the department\'s staff, its managers and admins.',
    next: 'Ask the incident\'s assignee to remove it.',
  },
  'ATTACHMENT.STORAGE_UNAVAILABLE': {
    status: 503,
    title: 'File storage is not reachable',
    meaning: 'The store that keeps attachments (the file system or the object storage) did not answer. Nothing was kept.',
    next: 'Try again shortly; if it lasts, tell the platform\'s operators.',
  },
  'VIEW.NOT_FOUND': {
    status: 404,
    title: 'No such saved view',
    meaning: 'There is no saved view with this id among the caller\'s own; other people\'s views are never shown.',
    next: 'List your saved views with `GET /incidents/views`.',
  },
  'VIEW.NAME_TAKEN': {
    status: 409,
    title: 'You already have a view with this name',
    meaning: 'Each person\'s saved views have different names (compared without letter case).',
    next: 'Choose another name, or rename or delete the existing view.',
  },
  'VIEW.LIMIT_REACHED': {
    status: 409,
    title: 'Too many saved views',
    meaning: 'A person keeps at most 50 saved views.',
    next: 'Delete a view you no longer use, then save the new one.',
  },
  'USER.NOT_FOUND': {
    status: 404,
    title: 'No such user',
    meaning: 'There is no user with this id that the caller may see.',
    next: 'Find the user with `GET /users?q=`.',
  },
  'USER.EMAIL_TAKEN': {
    status: 409,
    title: 'The email is taken',
    meaning: 'An account with this email already exists.',
    next: 'Sign in with it, or use another email.',
  },
  'USER.INACTIVE': {
    status: 409,
    title: 'The account is deactivated',
    meaning: 'A deactivated account cannot be sent a password reset.',
    next: 'Reactivate the account first (`PATCH /users/{id}` with `isActive: true`).',
  },
  'AUTH.EMAIL_NOT_VERIFIED': {
    status: 403,
    title: 'The email address is not verified yet',
    meaning: 'This registration waits for its address to be verified: a link was mailed to it.',
    next: 'Open the link in the mail we sent. No mail? Register again with the same address for a new link.',
  },
  'AUTH.VERIFICATION_LINK_INVALID': {
    status: 400,
    title: 'The verification link is not valid',
    meaning: 'The link is unknown, was used already, or has expired (links last 24 hours).',
    next: 'Register again with the same address for a new link, or sign in if you verified already.',
  },
  'AUTH.PASSWORD_REQUIRED': {
    status: 400,
    title: 'Choose a password to finish registering',
    meaning: 'This registration was made when its address wrote to the service desk, so it has no password yet.',
    next: 'Send `POST /auth/verify` again with the `token` and a `password` of at least 12 characters.',
  },
  'AUTH.MFA_REQUIRED': {
    status: 401,
    title: 'A second factor is needed to sign in',
    meaning: 'The password was right and the account has a second factor. The problem carries `challengeToken` (valid for `expiresIn` seconds, for 5 tries).',
    next: 'Send `POST /auth/login/mfa` with `challengeToken` and the 6-digit `code` from the authenticator app, or a `recoveryCode`.',
  },
  'AUTH.MFA_ENROLMENT_REQUIRED': {
    status: 401,
    title: 'Set up a second factor to sign in',
    meaning: 'The password was right, but this account must have a second factor (admins, when `ADMIN_MFA=required`) and has none. The problem carries `challengeToken`.',
    next: 'Send `POST /auth/login/mfa/setup` with `challengeToken`, add the secret to an authenticator app, then `POST /auth/login/mfa` with the code it shows; keep the recovery codes the answer carries.',
  },
  'AUTH.MFA_CHALLENGE_INVALID': {
    status: 401,
    title: 'The sign-in challenge is not valid',
    meaning: 'The challenge is unknown, was used, has expired (5 minutes) or had 5 wrong codes.',
    next: 'Sign in again with email and password.',
  },
  'AUTH.MFA_CODE_INVALID': {
    status: 401,
    title: 'The code is not correct',
    meaning: 'The code does not match the authenticator app (or was used already), or the recovery code is unknown or used.',
    next: 'Type the code the app shows now (they change every 30 seconds), or use one of your recovery codes.',
  },
  'MFA.CODE_INCORRECT': {
    status: 422,
    title: 'The code is not correct',
    meaning: 'The code does not match the authenticator app (or was used already), or the recovery code is unknown or used; `errors` names the field.',
    next: 'Type the code the app shows now (they change every 30 seconds), or use one of your recovery codes.',
  },
  'MFA.ALREADY_ENABLED': {
    status: 409,
    title: 'A second factor is already set up',
    meaning: 'The account has a second factor; a new secret would replace one that works.',
    next: 'Turn the second factor off first (`POST /auth/mfa/disable`), or ask an admin to reset it if the app is lost.',
  },
  'MFA.NOT_ENABLED': {
    status: 409,
    title: 'No second factor is set up',
    meaning: 'The account has no second factor to confirm, turn off, reset or take recovery codes from.',
    next: 'Set one up with `POST /auth/mfa/setup` (or, for an admin resetting someone, there is nothing to reset).',
  },
  'MFA.SETUP_EXPIRED': {
    status: 409,
    title: 'The second-factor setup has expired or was not started',
    meaning: 'A setup lasts 15 minutes; none is waiting for this account.',
    next: 'Start again with `POST /auth/mfa/setup` and confirm a code within 15 minutes.',
  },
  'MFA.REQUIRED': {
    status: 409,
    title: 'The second factor cannot be turned off',
    meaning: 'Admins must keep a second factor while `ADMIN_MFA=required`.',
    next: 'Keep it, or replace it: ask another admin to reset it and enrol a new one at the next sign-in.',
  },
  'PASSWORD.RESET_LINK_INVALID': {
    status: 400,
    title: 'The password reset link is not valid',
    meaning: 'The link is unknown, was used already, or has expired (links last 30 minutes).',
    next: 'Ask for a new link with "Forgot password".',
  },
  'PASSWORD.CURRENT_INCORRECT': {
    status: 422,
    title: 'The current password is not correct',
    meaning: 'Changing a password needs the current one, and the one given does not match.',
    next: 'Type the current password again; if it is forgotten, sign out and use "Forgot password".',
  },
  'PASSWORD.TOO_COMMON': {
    status: 422,
    title: 'The password is too easy to guess',
    meaning: 'The new password is on a list of common or breached passwords, or is built from such words and simple patterns; `errors` names the field.',
    next: 'Choose a longer password of unrelated words, or one from a password manager.',
  },
  'USER.FORBIDDEN': {
    status: 403,
    title: 'You may not see or change users',
    meaning: 'Only admins, and managers for their own department, list users; only admins change them.',
    next: 'Ask an admin.',
  },
  'USER.FORBIDDEN_DEPARTMENT': {
    status: 403,
    title: 'Another department\'s users',
    meaning: 'Managers may list only the users of their own department.',
    next: 'Leave out `departmentId`, or give your own.',
  },
  'USER.DEPARTMENT_NOT_FOUND': {
    status: 422,
    title: 'No such department',
    meaning: 'The user\'s department does not exist.',
    next: 'Pick a department from `GET /departments`.',
  },
  'USER.DEPARTMENT_REQUIRED': {
    status: 422,
    title: 'Staff and managers need a department',
    meaning: 'A staff member or manager must belong to a department.',
    next: 'Give a `departmentId`.',
  },
  'USER.LAST_ADMIN': {
    status: 409,
    title: 'The last admin must stay',
    meaning: 'The change would leave the organisation without an active admin.',
    next: 'Make someone else an admin first.',
  },
  'SERVICE_ACCOUNT.NOT_FOUND': {
    status: 404,
    title: 'No such service account',
    meaning: 'There is no service account with this id (it may have been deleted).',
    next: 'List the service accounts with `GET /service-accounts`; a deleted one cannot sign in.',
  },
  'SERVICE_ACCOUNT.NAME_TAKEN': {
    status: 409,
    title: 'The service account name is taken',
    meaning: 'A service account with this name already exists.',
    next: 'Choose another name.',
  },
  'SERVICE_ACCOUNT.REVOKED': {
    status: 409,
    title: 'The service account is revoked',
    meaning: 'A revoked service account can no longer sign in, so it gets no new secret.',
    next: 'Create a new service account for the system instead.',
  },
  'DEPARTMENT.NOT_FOUND': {
    status: 404,
    title: 'No such department',
    meaning: 'There is no department with this id.',
    next: 'List the departments with `GET /departments`.',
  },
  'DEPARTMENT.NAME_TAKEN': {
    status: 409,
    title: 'The department name is taken',
    meaning: 'A department with this name already exists.',
    next: 'Choose another name.',
  },
  'NOTIFICATION.NOT_FOUND': {
    status: 404,
    title: 'No such notification',
    meaning: 'There is no notification with this id in the caller\'s inbox.',
    next: 'List the inbox with `GET /notifications`.',
  },
  'NOTIFICATION.PEOPLE_ONLY': {
    status: 403,
    title: 'Notifications are for people',
    meaning: 'A service account has no inbox or preferences.',
    next: 'Use a person\'s token, or subscribe to events instead.',
  },
  'SATISFACTION.REPORTER_ONLY': {
    status: 403,
    title: 'Only its reporter rates an incident',
    meaning: 'The satisfaction rating is the reporter\'s view of how the incident was handled; nobody else may give or change it.',
    next: 'Read the rating with `GET /incidents/{id}/satisfaction`; ask the reporter to rate it.',
  },
  'SATISFACTION.NOT_RESOLVED': {
    status: 409,
    title: 'The incident is not resolved yet',
    meaning: 'An incident can be rated once it is resolved or closed (not while it is open, in progress or cancelled).',
    next: 'Rate it once the desk has resolved it; you are told by mail when that happens.',
  },
  'SATISFACTION.LOCKED': {
    status: 409,
    title: 'The rating can no longer be changed',
    meaning: 'A rating can be changed for 7 days after it was first given; this one is older.',
    next: 'Leave a comment on the incident, or report a new one, if something is still wrong.',
  },
  'SATISFACTION.LINK_INVALID': {
    status: 404,
    title: 'The rating link is not valid',
    meaning: 'The link from the mail is malformed, was not made by this desk, or has expired (links work for 30 days).',
    next: 'Sign in and rate the incident on its page instead.',
  },
  'WEBHOOK.NOT_FOUND': {
    status: 404,
    title: 'No such webhook endpoint',
    meaning: 'There is no webhook endpoint with this id (it may have been deleted).',
    next: 'List the endpoints with `GET /webhooks`.',
  },
  'WEBHOOK.TARGET_NOT_ALLOWED': {
    status: 422,
    title: 'Webhooks may not be sent there',
    meaning: 'The URL points at a private, loopback, link-local or otherwise internal address, which webhooks may not reach: they would let anyone who registers an endpoint probe the platform\'s own network. Names are checked again each time a delivery connects.',
    next: 'Use an address reachable on the public internet, or ask whoever runs the platform to allow the network in `WEBHOOK_ALLOWED_NETWORKS`.',
  },
  'WEBHOOK.DELIVERY_NOT_FOUND': {
    status: 404,
    title: 'No such delivery',
    meaning: 'This endpoint has no delivery with this id.',
    next: 'List its deliveries with `GET /webhooks/{id}/deliveries`.',
  },
  'WEBHOOK.DISABLED': {
    status: 409,
    title: 'The endpoint is disabled',
    meaning: 'Deliveries to a disabled endpoint are paused, so nothing can be redelivered to it.',
    next: 'Fix the receiver, then enable the endpoint again (`PATCH /webhooks/{id}` with `{"status":"ACTIVE"}`); its waiting deliveries go out then.',
  },
  'WEBHOOK.DELIVERY_IN_FLIGHT': {
    status: 409,
    title: 'The delivery is being sent right now',
    meaning: 'An attempt at this delivery is under way; its outcome is not known yet.',
    next: 'Wait a few seconds and look at the delivery again; redeliver it then if it failed.',
  },
  'ANALYTICS.FORBIDDEN': {
    status: 403,
    title: 'You may not see these figures',
    meaning: 'Figures are for managers (their own department) and admins.',
    next: 'Leave out `departmentId`, or give your own; ask an admin for wider access.',
  },
  'ANALYTICS.REBUILD_RUNNING': {
    status: 409,
    title: 'A rebuild is already running',
    meaning: 'The analytics model is being rebuilt from incident-service; one rebuild runs at a time.',
    next: 'Wait for it to finish (watch `/health`), then ask again if needed.',
  },
  'EVENT.PARKED_NOT_FOUND': {
    status: 404,
    title: 'No such parked event',
    meaning: 'No consumer holds a parked event with this id.',
    next: 'List the parked events with `GET /admin/events/parked` (add `status=replayed` or `status=discarded` for resolved ones).',
  },
  'EVENT.ALREADY_RESOLVED': {
    status: 409,
    title: 'The parked event was already replayed or discarded',
    meaning: 'Only an event still waiting (`status: parked`) can be replayed or discarded; this one was resolved, `resolvedBy` says by whom.',
    next: 'Nothing to do. Should it be handled again, it parks again when it fails again.',
  },
} as const satisfies Record<string, ProblemEntry>;

export type ProblemCode = keyof typeof PROBLEM_CATALOG;

export function isProblemCode(code: string): code is ProblemCode {
  return Object.hasOwn(PROBLEM_CATALOG, code);
}

/** The path segment of a code's page: `INCIDENT.NOT_FOUND` → `incident-not-found`. */
export function problemSlug(code: string): string {
  return code.toLowerCase().replace(/[._]/g, '-');
}

/** A problem's `type`: a URI reference to its page, resolved against the API's own origin. */
export function problemTypeFor(code: string): string {
  return `/problems/${problemSlug(code)}`;
}
