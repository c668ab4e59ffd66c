/**
 * The messages the product says to people, in every language it speaks. Each has a stable key and one template
 * per language with the same named parameters (`{id}`, `{field}` …). English is what `AppError.message` carries
 * (logs, the CLI, requests without a language); the server answers in the request's language (server/locale.ts).
 * A message that names a field first ("teamId: …") keeps that prefix in every language: the web app strips it
 * when it shows the message under the field itself (web/src/api/form-errors.ts).
 */

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

export interface MessageTemplates {
  readonly en: string;
  readonly 'zh-CN': string;
}

export const MESSAGES = {
  // Generic answers of the server (src/server/errors.ts, app.ts).
  'request.invalid': { en: 'Invalid request: {path}: {message}', 'zh-CN': '请求无效：{path}: {message}' },
  'request.invalid_plain': { en: 'Invalid request.', 'zh-CN': '请求无效。' },
  'request.too_large': {
    en: 'The request body is larger than this server accepts.',
    'zh-CN': '请求内容超过了服务器允许的大小。',
  },
  'request.no_route': { en: 'No route for {method} {path}.', 'zh-CN': '没有 {method} {path} 这个接口。' },
  'request.url_not_encoded': {
    en: 'The URL holds characters that must be percent-encoded, such as Chinese text in a query: encode them (curl: -G --data-urlencode "q=价格太高").',
    'zh-CN':
      'URL 中有必须百分号编码的字符（例如查询参数里的中文）：请先编码（curl：-G --data-urlencode "q=价格太高"）。',
  },
  'request.unsupported_media_type': {
    en: 'This route does not read a body of type {type}: send {expected} (with that Content-Type header).',
    'zh-CN': '这个接口不读取类型为 {type} 的请求内容：请以 {expected} 发送（并带上这个 Content-Type 头）。',
  },
  'request.unknown_field': {
    en: 'unknown field; this request does not take it (check the spelling)',
    'zh-CN': '未知字段；这个请求不接受它（请检查拼写）',
  },
  'request.unknown_parameter': {
    en: 'unknown parameter; this route does not take it (check the spelling)',
    'zh-CN': '未知参数；这个接口不接受它（请检查拼写）',
  },
  'request.body_required': {
    en: 'a JSON object is required (send it with Content-Type: application/json)',
    'zh-CN': '需要一个 JSON 对象（以 Content-Type: application/json 发送）',
  },
  'request.invalid_json': {
    en: 'The body is not valid JSON, though Content-Type says application/json: check its quotes, commas and brackets.',
    'zh-CN': '请求内容不是有效的 JSON（Content-Type 却是 application/json）：请检查引号、逗号和括号。',
  },
  'request.invalid_json_at': {
    en: 'The body is not valid JSON (line {line}, column {column}), though Content-Type says application/json: check its quotes, commas and brackets there.',
    'zh-CN':
      '请求内容不是有效的 JSON（第 {line} 行第 {column} 列），Content-Type 却是 application/json：请检查那里的引号、逗号和括号。',
  },
  'request.forbidden_json_key': {
    en: 'The body holds a key the server does not read (__proto__, or constructor with prototype): leave it out.',
    'zh-CN': '请求内容含有服务器不读取的键（__proto__，或带 prototype 的 constructor）：请去掉它。',
  },
  'request.empty_json': {
    en: 'The body is empty, though Content-Type says application/json: send a JSON body, or no Content-Type header.',
    'zh-CN':
      '请求内容是空的（Content-Type 却是 application/json）：请发送 JSON 内容，或不带 Content-Type 头。',
  },
  'request.content_length': {
    en: 'The body is not as long as its Content-Length header says.',
    'zh-CN': '请求内容的长度与 Content-Length 头不一致。',
  },
  'request.bad_url': {
    en: 'The URL path holds a broken percent-encoding (a % not followed by two hex digits of UTF-8): encode the path again.',
    'zh-CN': 'URL 路径中有错误的百分号编码（% 后面不是两位表示 UTF-8 的十六进制数）：请重新编码路径。',
  },
  'request.param_too_long': {
    en: 'A value in the URL path is too long to be an id.',
    'zh-CN': 'URL 路径中的某个值太长，不可能是一个 ID。',
  },
  'request.unreadable': {
    en: 'The server could not read this request: {reason}',
    'zh-CN': '服务器无法读取这个请求：{reason}',
  },
  'request.malformed': {
    en: 'The server could not read this HTTP request.',
    'zh-CN': '服务器无法读取这个 HTTP 请求。',
  },
  'work.thread_stopped': {
    en: 'the worker thread doing this stopped unexpectedly (exit code {code}); nothing was changed',
    'zh-CN': '执行这项工作的线程意外停止了（退出码 {code}）；没有做任何修改',
  },
  'db.busy': {
    en: 'The database is busy saving a large change (an import, say) and did not free up within {seconds} s; nothing was changed. Try again in a minute.',
    'zh-CN':
      '数据库正在保存一项大的改动（例如导入），{seconds} 秒内没有空出来；这次没有做任何修改。请过一分钟再试。',
  },
  // A value PostgreSQL refuses (src/storage/db-errors.ts).
  'request.value_not_text': {
    en: 'The request contains a NUL character (\\u0000) or other bytes that are not text; remove them and try again.',
    'zh-CN': '请求中含有 NUL 字符（\\u0000）或其他不是文本的字节；请删除后重试。',
  },
  'request.number_out_of_range': {
    en: 'A number in the request is out of range.',
    'zh-CN': '请求中的某个数字超出了允许的范围。',
  },
  'request.value_refused': {
    en: 'A value in the request cannot be stored: {reason}.',
    'zh-CN': '请求中的某个值无法保存：{reason}。',
  },
  'server.invalid_response': {
    en: 'The server produced an invalid response; this is a bug.',
    'zh-CN': '服务器返回了无效的响应，这是一个程序错误。',
  },
  'server.unexpected': {
    en: 'Something went wrong on the server; it has been logged.',
    'zh-CN': '服务器出了问题，已记录下来。',
  },
  'server.not_stored': {
    en: 'The {what} was not stored; nothing was changed.',
    'zh-CN': '{what}没有保存成功，没有做任何修改。',
  },

  // Things that can be missing (notFound).
  'not_found.generic': {
    en: '{what} {id} does not exist (or you may not see it).',
    'zh-CN': '{what} {id} 不存在（或你无权查看）。',
  },
  'entity.api_token': { en: 'API token', 'zh-CN': 'API 令牌' },
  'entity.account': { en: 'Account', 'zh-CN': '客户' },
  'entity.import_job': { en: 'Import job', 'zh-CN': '导入任务' },
  'entity.objection': { en: 'Objection', 'zh-CN': '异议' },
  'entity.response': { en: 'Response', 'zh-CN': '话术' },
  'entity.saved_view': { en: 'Saved view', 'zh-CN': '已保存的视图' },
  'entity.skill': { en: 'Skill', 'zh-CN': '技能' },
  'entity.team': { en: 'Team', 'zh-CN': '团队' },
  'entity.territory': { en: 'Territory', 'zh-CN': '区域' },
  'entity.user': { en: 'User', 'zh-CN': '用户' },
  'entity.admin': { en: 'admin', 'zh-CN': '管理员' },
  'entity.user_lower': { en: 'user', 'zh-CN': '用户' },
  'entity.account_lower': { en: 'account', 'zh-CN': '客户' },
  'entity.territory_lower': { en: 'territory', 'zh-CN': '区域' },
  'entity.team_lower': { en: 'team', 'zh-CN': '团队' },

  // Sign-in, sessions, tokens (server/auth.ts, routes/auth.ts, services/auth.ts, services/passwords.ts).
  'auth.token_unknown': {
    en: 'The API token is unknown, revoked or expired (send "Authorization: Bearer tl_…").',
    'zh-CN': 'API 令牌无效、已撤销或已过期（请发送 "Authorization: Bearer tl_…"）。',
  },
  'auth.sign_in_first_session': {
    en: 'Sign in first (your session may have ended).',
    'zh-CN': '请先登录（你的会话可能已经结束）。',
  },
  'auth.sign_in_first': { en: 'Sign in first.', 'zh-CN': '请先登录。' },
  'auth.sign_in_first_token': {
    en: 'Sign in first (or send an API token as "Authorization: Bearer …").',
    'zh-CN': '请先登录（或以 "Authorization: Bearer …" 发送 API 令牌）。',
  },
  'auth.token_read_only': {
    en: 'This API token is read-only; create a read-write token to make changes.',
    'zh-CN': '这个 API 令牌是只读的；要做修改，请创建一个可读写的令牌。',
  },
  'auth.csrf': {
    en: 'Missing or wrong {header} header: send the csrfToken from /api/auth/status with every change.',
    'zh-CN': '缺少 {header} 请求头或其值不对：每次修改都要带上 /api/auth/status 返回的 csrfToken。',
  },
  'auth.sign_out_token': {
    en: 'Signing out ends a browser session; revoke an API token instead.',
    'zh-CN': '退出登录只结束浏览器会话；API 令牌请撤销。',
  },
  'auth.tokens_from_session': {
    en: 'Create API tokens from a signed-in browser session, not with a token.',
    'zh-CN': '请在已登录的浏览器中创建 API 令牌，不能用令牌创建令牌。',
  },
  'auth.already_set_up': {
    en: 'Tierline is already set up: sign in, or ask an admin for an account.',
    'zh-CN': 'Tierline 已经设置好了：请登录，或请管理员为你开通账号。',
  },
  'auth.too_many_attempts': {
    en: 'Too many sign-in attempts. Wait {wait} and try again.',
    'zh-CN': '登录尝试次数过多，请等待{wait}后再试。',
  },
  // How long to wait, in auth.too_many_attempts: `_one`/`_other` by the count (see counted() below).
  'auth.wait_minutes_one': { en: '{count} minute', 'zh-CN': ' {count} 分钟' },
  'auth.wait_minutes_other': { en: '{count} minutes', 'zh-CN': ' {count} 分钟' },
  'auth.wait_seconds_one': { en: '{count} second', 'zh-CN': ' {count} 秒' },
  'auth.wait_seconds_other': { en: '{count} seconds', 'zh-CN': ' {count} 秒' },
  'auth.wrong_credentials': {
    en: 'The email address or the password is wrong.',
    'zh-CN': '邮箱地址或密码不正确。',
  },
  'auth.disabled': {
    en: 'This account is disabled. Ask an admin to enable it.',
    'zh-CN': '这个账号已停用，请联系管理员启用。',
  },
  'auth.wrong_current_password': { en: 'The current password is wrong.', 'zh-CN': '当前密码不正确。' },
  'auth.tokens_need_user': {
    en: 'API tokens belong to a user; the local CLI has none.',
    'zh-CN': 'API 令牌属于某个用户；本地命令行没有用户。',
  },
  'auth.password_too_short': {
    en: 'The password must have at least {min} characters (it has {length}).',
    'zh-CN': '密码至少需要 {min} 个字符（现在是 {length} 个）。',
  },
  'auth.password_too_long': {
    en: 'The password must have at most {max} characters.',
    'zh-CN': '密码最多 {max} 个字符。',
  },

  // Roles and scope (services/access.ts, rep-scope.ts).
  'access.only_roles': { en: 'Only {who} can {what}.', 'zh-CN': '只有{who}可以{what}。' },
  'access.nothing_visible': { en: 'This actor may not see anything.', 'zh-CN': '当前身份无权查看任何内容。' },
  'access.own_plan_only': {
    en: 'A rep can only work with their own plan, agenda and goals.',
    'zh-CN': '销售员只能使用自己的计划、日程和目标。',
  },
  'access.user_not_in_team': {
    en: 'User {id} does not exist (or is not in your team).',
    'zh-CN': '用户 {id} 不存在（或不在你的团队中）。',
  },
  'role.admin': { en: 'an admin', 'zh-CN': '管理员' },
  'role.manager': { en: 'a manager', 'zh-CN': '经理' },
  'role.rep': { en: 'a rep', 'zh-CN': '销售员' },
  'role.or': { en: '{a} or {b}', 'zh-CN': '{a}或{b}' },
  'action.add people': { en: 'add people', 'zh-CN': '添加人员' },
  "action.set someone's password": { en: "set someone's password", 'zh-CN': '设置他人的密码' },
  'action.disable people': { en: 'disable people', 'zh-CN': '停用人员' },
  'action.enable people': { en: 'enable people', 'zh-CN': '启用人员' },
  'action.add skills': { en: 'add skills', 'zh-CN': '添加技能' },
  "action.assess a rep's skills (reps self-assess)": {
    en: "assess a rep's skills (reps self-assess)",
    'zh-CN': '评估销售员的技能（销售员自己做自评）',
  },
  "action.see the team's skills": { en: "see the team's skills", 'zh-CN': '查看团队的技能' },
  'action.add objections to the playbook': {
    en: 'add objections to the playbook',
    'zh-CN': '在异议应对中添加异议',
  },
  'action.edit the playbook': { en: 'edit the playbook', 'zh-CN': '编辑异议应对' },
  'action.choose the preferred response': { en: 'choose the preferred response', 'zh-CN': '选择推荐话术' },
  'action.define territories': { en: 'define territories', 'zh-CN': '划定区域' },
  'action.change territories': { en: 'change territories', 'zh-CN': '修改区域' },
  'action.delete territories': { en: 'delete territories', 'zh-CN': '删除区域' },
  'action.hand accounts to another person': {
    en: 'hand accounts to another person',
    'zh-CN': '把客户交给其他人',
  },
  'action.read the audit log': { en: 'read the audit log', 'zh-CN': '查看操作记录' },
  'action.define the target market': { en: 'define the target market', 'zh-CN': '定义目标市场' },
  'action.re-tier the accounts': { en: 're-tier the accounts', 'zh-CN': '重新为客户分级' },
  'action.change workspace settings': { en: 'change workspace settings', 'zh-CN': '修改工作区设置' },
  'action.change cadence rules': { en: 'change cadence rules', 'zh-CN': '修改联系频率规则' },
  "action.plan several reps' accounts at once": {
    en: "plan several reps' accounts at once",
    'zh-CN': '一次为多位销售员的客户做计划',
  },
  "action.save several reps' plans at once": {
    en: "save several reps' plans at once",
    'zh-CN': '一次保存多位销售员的计划',
  },
  "action.see every rep's plan health": {
    en: "see every rep's plan health",
    'zh-CN': '查看每位销售员的计划健康状况',
  },
  'action.add teams': { en: 'add teams', 'zh-CN': '添加团队' },
  'action.change teams': { en: 'change teams', 'zh-CN': '修改团队' },

  // People (services/users.ts, teams.ts).
  'users.team_missing': { en: 'teamId: team {id} does not exist.', 'zh-CN': 'teamId: 团队 {id} 不存在。' },
  'users.manager_adds_reps_only': {
    en: 'A manager can add reps only; ask an admin to add managers and admins.',
    'zh-CN': '经理只能添加销售员；要添加经理或管理员，请联系管理员。',
  },
  'users.manager_own_team_only': {
    en: 'A manager can add reps to their own team only.',
    'zh-CN': '经理只能把销售员添加到自己的团队。',
  },
  'users.email_taken': {
    en: 'There is already a user with the email {email}.',
    'zh-CN': '已经有用户使用邮箱 {email}。',
  },
  'users.password_admin_only': {
    en: "Only an admin can set someone's password; change your own with POST /api/auth/password.",
    'zh-CN': '只有管理员可以设置他人的密码；修改自己的密码请到个人设置（POST /api/auth/password）。',
  },
  'users.own_name_language_only': {
    en: 'You can change your own name and language only; ask your manager for the rest.',
    'zh-CN': '你只能修改自己的姓名和语言；其他信息请联系你的经理。',
  },
  'users.manager_team_reps_only': {
    en: 'A manager can change the reps of their team only; ask an admin.',
    'zh-CN': '经理只能修改自己团队的销售员；请联系管理员。',
  },
  'users.admin_makes_managers': {
    en: 'Only an admin can make someone a manager or an admin.',
    'zh-CN': '只有管理员可以把人设为经理或管理员。',
  },
  'users.admin_changes_email': {
    en: "Only an admin can change someone's email address.",
    'zh-CN': '只有管理员可以修改他人的邮箱地址。',
  },
  'users.manager_moves_own_teams': {
    en: 'A manager can move reps between their own teams only.',
    'zh-CN': '经理只能在自己的团队之间调动销售员。',
  },
  'users.last_admin': {
    en: 'This is the last admin; make someone else an admin first.',
    'zh-CN': '这是最后一位管理员；请先把其他人设为管理员。',
  },
  'users.manager_disables_team_reps': {
    en: 'A manager can disable and enable the reps of their team only.',
    'zh-CN': '经理只能停用或启用自己团队的销售员。',
  },
  'users.cannot_disable_self': {
    en: 'You cannot disable yourself; ask another admin.',
    'zh-CN': '你不能停用自己；请联系其他管理员。',
  },
  'teams.manager_missing': {
    en: 'managerId: user {id} does not exist.',
    'zh-CN': 'managerId: 用户 {id} 不存在。',
  },
  'teams.manager_is_rep': {
    en: 'managerId: {name} is a rep; make them a manager first (tierline users edit {id} --role manager, or PATCH /api/users/{id} with "role": "manager").',
    'zh-CN':
      'managerId: {name} 是销售员；请先把此人设为经理（tierline users edit {id} --role manager，或 PATCH /api/users/{id}，"role": "manager"）。',
  },
  'teams.name_taken': {
    en: 'name: there is already a team called “{name}” ({id}); give this one another name.',
    'zh-CN': 'name: 已经有名为“{name}”的团队（{id}）；请给这个团队换个名称。',
  },

  // Accounts (services/accounts.ts, account-bulk.ts, account-assignment.ts, account-activity-context.ts).
  'accounts.uscc_invalid': { en: 'uscc: {reason}', 'zh-CN': 'uscc: 统一社会信用代码无效（{reason}）' },
  'accounts.website_invalid': { en: 'website: {reason}', 'zh-CN': 'website: 网址无效（{reason}）' },
  'accounts.phone_invalid': { en: 'phone: {reason}', 'zh-CN': 'phone: 电话号码无效（{reason}）' },
  'accounts.email_invalid': { en: 'email: {reason}', 'zh-CN': 'email: 电子邮箱无效（{reason}）' },
  // A hand-made account that matches an existing one (services/accounts.ts, the import's matching keys).
  'accounts.duplicate_key_uscc': { en: 'unified social credit code', 'zh-CN': '统一社会信用代码' },
  'accounts.duplicate_key_domain': { en: 'website domain', 'zh-CN': '网站域名' },
  'accounts.duplicate_key_name': { en: 'name in the same city', 'zh-CN': '同城同名' },
  'accounts.duplicate': {
    en: 'An account with the same {key} already exists: {name} ({id}). Open the existing account instead of adding it again.',
    'zh-CN': '已有{key}相同的客户：{name}（{id}）。请打开已有的客户，不要重复添加。',
  },
  'accounts.duplicate_name': {
    en: 'An account with the same name in the same city already exists: {name} ({id}). Open the existing account; if this is a different company, add it with allowSimilarName (CLI: --allow-similar-name).',
    'zh-CN':
      '同一城市已有同名客户：{name}（{id}）。请打开已有的客户；如果确实是另一家公司，请在添加时注明 allowSimilarName: true（命令行：--allow-similar-name）。',
  },
  'accounts.duplicate_hidden': {
    en: 'An account with the same {key} already exists, but it is not among the accounts you can see. Ask your manager or an administrator to assign it to you instead of adding it again.',
    'zh-CN':
      '已有{key}相同的客户，但不在你可查看的范围内。请联系你的经理或管理员把它分配给你，不要重复添加。',
  },
  'accounts.duplicate_hidden_name': {
    en: 'An account with the same name in the same city already exists, but it is not among the accounts you can see. Ask your manager or an administrator to assign it to you; if this is a different company, add it with allowSimilarName (CLI: --allow-similar-name).',
    'zh-CN':
      '同一城市已有同名客户，但不在你可查看的范围内。请联系你的经理或管理员把它分配给你；如果确实是另一家公司，请在添加时注明 allowSimilarName: true（命令行：--allow-similar-name）。',
  },
  // The same refusals for a PATCH that makes an account match another (services/accounts.ts, updateAccount).
  'accounts.duplicate_on_update': {
    en: 'Another account already has the same {key}: {name} ({id}). Open that account instead of making this one a copy of it.',
    'zh-CN': '已有另一家客户的{key}与此相同：{name}（{id}）。请打开那家客户，不要把此客户改成它的重复。',
  },
  'accounts.duplicate_name_on_update': {
    en: 'Another account with this name in this city already exists: {name} ({id}). If this is a different company, save the change with allowSimilarName: true.',
    'zh-CN':
      '同一城市已有同名客户：{name}（{id}）。如果确实是另一家公司，请在保存修改时注明 allowSimilarName: true。',
  },
  'accounts.duplicate_hidden_on_update': {
    en: 'Another account already has the same {key}, but it is not among the accounts you can see. Ask your manager or an administrator instead of making this one a copy of it.',
    'zh-CN':
      '已有另一家客户的{key}与此相同，但不在你可查看的范围内。请联系你的经理或管理员，不要把此客户改成它的重复。',
  },
  'accounts.duplicate_hidden_name_on_update': {
    en: 'Another account with this name in this city already exists, but it is not among the accounts you can see. Ask your manager or an administrator; if this is a different company, save the change with allowSimilarName: true.',
    'zh-CN':
      '同一城市已有同名客户，但不在你可查看的范围内。请联系你的经理或管理员；如果确实是另一家公司，请在保存修改时注明 allowSimilarName: true。',
  },
  'accounts.version_conflict': {
    en: 'Account {id} was changed by someone else (you edited version {version}, it is now {current}). Reload it and apply your change again.',
    'zh-CN':
      '客户 {id} 已被别人修改（你编辑的是第 {version} 版，现在是第 {current} 版）。请重新加载后再做一次修改。',
  },
  'accounts.changed_meanwhile': {
    en: 'Account {id} was changed by someone else. Reload it and try again.',
    'zh-CN': '客户 {id} 已被别人修改。请重新加载后再试。',
  },
  'accounts.missing': {
    en: 'Account {id} does not exist (or you may not see it).',
    'zh-CN': '客户 {id} 不存在（或你无权查看）。',
  },
  'accounts.missing_more': {
    en: 'Account {id} does not exist (or you may not see it), nor {more} more.',
    'zh-CN': '客户 {id} 以及另外 {more} 家客户不存在（或你无权查看）。',
  },
  'accounts.missing_unchanged': {
    en: 'Account {id} does not exist (or you may not see it); nothing was changed.',
    'zh-CN': '客户 {id} 不存在（或你无权查看）；没有做任何修改。',
  },
  'accounts.missing_more_unchanged': {
    en: 'Account {id} does not exist (or you may not see it), nor {more} more; nothing was changed.',
    'zh-CN': '客户 {id} 以及另外 {more} 家客户不存在（或你无权查看）；没有做任何修改。',
  },
  'accounts.bulk_too_many': {
    en: 'The filter matches {matched} accounts; one bulk action changes at most {max}. Narrow the filter (by province or tier, say) and run it in parts.',
    'zh-CN':
      '筛选条件匹配了 {matched} 家客户，一次批量操作最多修改 {max} 家。请缩小筛选范围（比如按省份或分级），分几次执行。',
  },
  'accounts.bulk_count_changed': {
    en: 'The filter now matches {matched} accounts, not the {expected} you selected (the accounts changed meanwhile); nothing was changed. Look at the list again and repeat.',
    'zh-CN':
      '筛选条件现在匹配 {matched} 家客户，而不是你选中的 {expected} 家（期间客户有变动）；没有做任何修改。请重新查看列表后再操作一次。',
  },
  'accounts.handover_managers_only': {
    en: 'Only a manager or an admin can hand an account to someone else.',
    'zh-CN': '只有经理或管理员可以把客户交给其他人。',
  },
  'accounts.rep_owns_new': {
    en: 'A rep can only add accounts they own themselves; leave ownerId out.',
    'zh-CN': '销售员只能添加归自己负责的客户；请不要指定负责人（ownerId）。',
  },
  'accounts.territory_missing': {
    en: 'territoryId: territory {id} does not exist.',
    'zh-CN': 'territoryId: 区域 {id} 不存在。',
  },
  'accounts.move_territory_managers_only': {
    en: 'Only a manager or an admin can move an account to another territory.',
    'zh-CN': '只有经理或管理员可以把客户移到其他区域。',
  },
  'accounts.territory_not_in_team': {
    en: 'Territory {id} does not belong to a rep in your team.',
    'zh-CN': '区域 {id} 不属于你团队中的销售员。',
  },
  'accounts.remove_territory_managers_only': {
    en: 'Only a manager or an admin can take an account out of its territory.',
    'zh-CN': '只有经理或管理员可以把客户移出所在区域。',
  },
  'accounts.user_not_in_team': {
    en: '{field}: user {id} is not in your team.',
    'zh-CN': '{field}: 用户 {id} 不在你的团队中。',
  },
  'accounts.user_missing': {
    en: '{field}: user {id} does not exist.',
    'zh-CN': '{field}: 用户 {id} 不存在。',
  },
  'accounts.user_disabled': {
    en: '{field}: {name} is disabled; choose someone active.',
    'zh-CN': '{field}: {name} 已停用；请选择一位在职的人员。',
  },
  'accounts.touched_range': {
    en: 'touchedFrom: the first day comes after touchedTo, the last day.',
    'zh-CN': 'touchedFrom: 开始日期晚于结束日期（touchedTo）。',
  },
  'accounts.planned_range': {
    en: 'plannedFrom: the first day comes after plannedTo, the last day.',
    'zh-CN': 'plannedFrom: 开始日期晚于结束日期（plannedTo）。',
  },

  // Touches, plan, market, calendar (services/touches.ts, plan.ts, market.ts, calendar.ts).
  'touches.response_needs_objection': {
    en: 'responseId needs the objection it answers (objectionId).',
    'zh-CN': '填写话术（responseId）时，也要填写它所应对的异议（objectionId）。',
  },
  'touches.objection_unknown': {
    en: 'objection "{id}" is not in the playbook (give its id or code).',
    'zh-CN': '异议“{id}”不在异议应对中（请填写它的 id 或代码）。',
  },
  'touches.response_not_of_objection': {
    en: 'response "{id}" is not a response to objection {code}.',
    'zh-CN': '话术“{id}”不是异议 {code} 的应对话术。',
  },
  'touches.client_id_reused': {
    en: 'clientId "{clientId}" was already used for a different log (another account, channel, outcome or person): make a new id for each log.',
    'zh-CN':
      'clientId“{clientId}”已用于另一条不同的联系记录（客户、渠道、结果或记录人不同）：请为每条记录生成新的 id。',
  },
  'touches.in_future': {
    en: 'at: a touch cannot be logged in the future.',
    'zh-CN': 'at: 不能记录未来时间的联系。',
  },
  'touches.meeting_needs_booking': {
    en: 'meetingAt: a meeting’s date goes with the outcome meeting_booked.',
    'zh-CN': 'meetingAt: 只有结果为“约到会面”（meeting_booked）时才填写会面时间。',
  },
  'touches.meeting_in_past': {
    en: 'meetingAt: the meeting cannot be in the past ({meetingAt}; it is {now} in {timeZone}).',
    'zh-CN': 'meetingAt: 会面时间不能早于现在（{meetingAt}；{timeZone} 时区现在是 {now}）。',
  },
  'touches.meeting_too_far': {
    en: 'meetingAt: a meeting is booked at most a year ahead, by {latest}; {meetingAt} is later.',
    'zh-CN': 'meetingAt: 会面最多提前一年预约，即不晚于 {latest}；{meetingAt} 太晚了。',
  },
  'plan.no_such_option': {
    en: 'option: there is no capacity option {option}; choose 0 to {last}.',
    'zh-CN': 'option: 没有第 {option} 个容量方案；请在 0 到 {last} 之间选择。',
  },
  'plan.fits_no_options': {
    en: 'option: the plan fits; there are no options to apply.',
    'zh-CN': 'option: 计划在容量之内，没有需要采用的方案。',
  },
  'plan.from_before_today': {
    en: 'from: a plan cannot start before today ({today} in {timeZone}); {from} is in the past.',
    'zh-CN': 'from: 计划不能早于今天（{timeZone} 时区的 {today}）开始；{from} 已经过去了。',
  },
  'plan.from_too_late': {
    en: 'from: a plan starts at most {years} years ahead, on {latest} at the latest; {from} is later.',
    'zh-CN': 'from: 计划最晚从 {years} 年后开始，即不晚于 {latest}；{from} 太晚了。',
  },
  'plan.does_not_fit': {
    en: 'The plan does not fit: it needs {calls} calls and {visits} visits per working day against a capacity of {callCapacity} and {visitCapacity}{unplaced}. Pick one of the {options} options or accept the overload explicitly.',
    'zh-CN':
      '计划超出容量：每个工作日需要 {calls} 个电话和 {visits} 次拜访，而容量是 {callCapacity} 个电话和 {visitCapacity} 次拜访{unplaced}。请从 {options} 个方案中选一个，或明确接受超负荷。',
  },
  'plan.does_not_fit_no_options': {
    en: 'The plan does not fit: it needs {calls} calls and {visits} visits per working day against a capacity of {callCapacity} and {visitCapacity}{unplaced}. No option would make it fit: accept the overload explicitly, or change the market, the cadence or the capacity.',
    'zh-CN':
      '计划超出容量：每个工作日需要 {calls} 个电话和 {visits} 次拜访，而容量是 {callCapacity} 个电话和 {visitCapacity} 次拜访{unplaced}。没有能让计划放下的方案：请明确接受超负荷，或调整目标市场、联系频率或容量。',
  },
  'plan.does_not_fit_with_option': {
    en: 'The plan does not fit even with the chosen option: it needs {calls} calls and {visits} visits per working day against a capacity of {callCapacity} and {visitCapacity}{unplaced}. Nothing was changed: pick another option or accept the overload explicitly.',
    'zh-CN':
      '采用所选方案后计划仍然超出容量：每个工作日需要 {calls} 个电话和 {visits} 次拜访，而容量是 {callCapacity} 个电话和 {visitCapacity} 次拜访{unplaced}。没有做任何修改：请换一个方案，或明确接受超负荷。',
  },
  'plan.unplaced_suffix_one': {
    en: ', and {count} touch found no day within ±20% of its interval',
    'zh-CN': '，另有 {count} 次联系在间隔 ±20% 的范围内找不到可排的日子',
  },
  'plan.unplaced_suffix_other': {
    en: ', and {count} touches found no day within ±20% of their interval',
    'zh-CN': '，另有 {count} 次联系在间隔 ±20% 的范围内找不到可排的日子',
  },
  'plan.reps_overloaded': {
    en: "{over} of {total} reps' plans do not fit their capacity: {names}. Nothing was saved: open each one's plan to pick an option, or accept the overload for them explicitly.",
    'zh-CN':
      '{total} 位销售员中有 {over} 位的计划超出容量：{names}。没有保存任何计划：请打开他们各自的计划选择方案，或明确为他们接受超负荷。',
  },
  'plan.not_active_reps': {
    en: 'Only active reps can be planned together, and these users are not: {ids} (plan a manager, an admin or a disabled rep on their own).',
    'zh-CN':
      '只能一起为在职的销售员做计划，以下用户不是：{ids}（经理、管理员或已停用的销售员请单独做计划）。',
  },
  'market.widens': {
    en: 'This widens the target market (relaxed: {relaxed}). {covered} of {total} accounts in market version {version} have a logged touch so far. Method §1 widens only after the first definition is worked: confirm with widen: true (CLI: --widen).',
    'zh-CN':
      '这会扩大目标市场（放宽了：{relaxed}）。第 {version} 版目标市场的 {total} 家客户中，目前有 {covered} 家有联系记录。按方法 §1，先做透第一版定义再扩大：请确认扩大市场（widen: true，命令行：--widen）。',
  },
  'market.override_outside': {
    en: 'Account {name} is outside the target market, so it has no tier to override. Widen the market or override after it is in.',
    'zh-CN': '客户 {name} 不在目标市场内，没有可调整的分级。请扩大目标市场，或等它进入市场后再调整。',
  },
  'calendar.empty_range': {
    en: 'The range is empty: "to" ({to}) must be after "from" ({from}).',
    'zh-CN': '日期范围为空：结束日期（{to}）必须晚于开始日期（{from}）。',
  },
  'calendar.to_after_from': {
    en: '"to" ({to}) must be after "from" ({from}).',
    'zh-CN': '结束日期（{to}）必须晚于开始日期（{from}）。',
  },
  'calendar.days_off_whose_read': {
    en: 'repId: say whose days off to read.',
    'zh-CN': 'repId: 请说明要查看谁的休息日。',
  },
  'calendar.days_off_whose_set': {
    en: 'repId: say whose days off to set.',
    'zh-CN': 'repId: 请说明要设置谁的休息日。',
  },
  'calendar.days_off_not_list': {
    en: 'dates: give the days off as a list of dates (YYYY-MM-DD).',
    'zh-CN': 'dates: 请以日期列表（YYYY-MM-DD）给出休息日。',
  },
  'calendar.day_off_invalid': {
    en: 'dates: “{date}” is not a date that exists, written YYYY-MM-DD (e.g. 2026-10-08).',
    'zh-CN': 'dates: “{date}”不是一个存在的日期，请写成 YYYY-MM-DD（例如 2026-10-08）。',
  },
  'calendar.day_off_twice': {
    en: 'dates: {date} is listed twice; list each day off once.',
    'zh-CN': 'dates: {date} 出现了两次；每个休息日只写一次。',
  },
  'calendar.user_missing': { en: 'User {id} does not exist.', 'zh-CN': '用户 {id} 不存在。' },
  'calendar.unknown_holidays': {
    en: 'holidays: "{holidays}" is not a schedule Tierline has; use one of {known}, or null for the workspace\'s.',
    'zh-CN':
      'holidays: Tierline 没有“{holidays}”这套节假日；请使用 {known} 之一，或用 null 表示沿用工作区的设置。',
  },
  'calendar.max_800_days': {
    en: 'Ask for at most 800 days at a time.',
    'zh-CN': '一次最多查询 800 天。',
  },
  'calendar.from_and_to': {
    en: 'Give both "from" and "to" to list touches, or neither.',
    'zh-CN': '列出联系记录时，开始和结束日期要么都填，要么都不填。',
  },
  'calendar.max_touch_days': {
    en: 'List at most {days} days of touches at a time.',
    'zh-CN': '一次最多列出 {days} 天的联系记录。',
  },
  'calendar.no_holiday_calendar': {
    en: 'No holiday calendar for country "{country}": use one of {known}.',
    'zh-CN': '没有国家“{country}”的节假日日历：请使用 {known} 之一。',
  },
  'calendar.not_a_date': {
    en: '"{date}" is not a calendar date: write it as YYYY-MM-DD, e.g. 2025-03-01.',
    'zh-CN': '“{date}”不是有效的日期：请写成 YYYY-MM-DD，例如 2025-03-01。',
  },
  'calendar.no_working_day': {
    en: 'No working day within ten years after {from}: check the days off.',
    'zh-CN': '{from} 之后十年内没有工作日：请检查休息日设置。',
  },
  'calendar.feed_not_found': {
    en: 'This calendar feed does not exist or was revoked.',
    'zh-CN': '这个日历订阅不存在或已被撤销。',
  },
  'calendar.sign_in_for_feed': {
    en: 'Sign in to manage your calendar feed.',
    'zh-CN': '请先登录再管理你的日历订阅。',
  },
  'calendar.feed_missing': { en: 'Calendar feed {id} does not exist.', 'zh-CN': '日历订阅 {id} 不存在。' },

  // Playbook and skills (services/playbook.ts, skills.ts).
  'playbook.response_code_taken': {
    en: 'This objection already has a response with code {code}; choose another code.',
    'zh-CN': '这条异议已经有代码为 {code} 的话术；请换一个代码。',
  },
  'playbook.objection_code_taken': {
    en: 'The playbook already has an objection with code {code}; choose another code.',
    'zh-CN': '异议应对中已经有代码为 {code} 的异议；请换一个代码。',
  },
  'playbook.objection_version_conflict': {
    en: 'Objection {code} was changed by someone else (you edited version {version}, it is now {current}). Reload it and apply your change again.',
    'zh-CN':
      '异议 {code} 已被别人修改（你编辑的是第 {version} 版，现在是第 {current} 版）。请重新加载后再做一次修改。',
  },
  'playbook.objection_needs_text': {
    en: 'zh: write the objection in at least one language (zh or en).',
    'zh-CN': 'zh: 请至少用一种语言（中文或英文）写下这条异议。',
  },
  'playbook.response_editors': {
    en: 'Only a manager, an admin or the rep who wrote it can edit this response.',
    'zh-CN': '只有经理、管理员或写这条话术的销售员可以编辑它。',
  },
  'playbook.response_version_conflict': {
    en: 'Response {code} was changed by someone else (you edited version {version}, it is now {current}). Reload it and apply your change again.',
    'zh-CN':
      '话术 {code} 已被别人修改（你编辑的是第 {version} 版，现在是第 {current} 版）。请重新加载后再做一次修改。',
  },
  'playbook.response_needs_text': {
    en: 'zh: write the response in at least one language (zh or en).',
    'zh-CN': 'zh: 请至少用一种语言（中文或英文）写下这条话术。',
  },
  'playbook.own_team_numbers': {
    en: 'You can see the numbers of your own team members only.',
    'zh-CN': '你只能查看自己团队成员的数据。',
  },
  'skills.whose': {
    en: "Say whose skills these are: give the rep's user id or email.",
    'zh-CN': '请说明是谁的技能：填写销售员的用户 id 或邮箱。',
  },
  'skills.user_gone': {
    en: 'Your user no longer exists; sign in again.',
    'zh-CN': '你的用户已不存在；请重新登录。',
  },
  'skills.own_practice_only': {
    en: 'You can self-assess and practise only your own skills.',
    'zh-CN': '你只能自评和练习自己的技能。',
  },
  'skills.own_only': {
    en: "You can see only your own skills; your manager sees the team's.",
    'zh-CN': '你只能查看自己的技能；团队的技能由你的经理查看。',
  },
  'skills.code_taken': {
    en: 'A skill with code {code} already exists; choose another code.',
    'zh-CN': '已经有代码为 {code} 的技能；请换一个代码。',
  },
  'skills.objection_unknown': {
    en: 'objectionId: objection {id} is not in the playbook.',
    'zh-CN': 'objectionId: 异议 {id} 不在异议应对中。',
  },
  'skills.assess_self': {
    en: 'Assess your own skills with a self-assessment; your manager or an admin can assess you.',
    'zh-CN': '自己的技能请用自评；经理或管理员可以评估你。',
  },
  'skills.own_teams_only': {
    en: 'You can see only the teams you manage or belong to.',
    'zh-CN': '你只能查看你管理或所在的团队。',
  },

  // Territories, saved views, workspace settings.
  'territories.manager_needs_rep': {
    en: "repId: a manager's territories belong to a rep of their team.",
    'zh-CN': 'repId: 经理划定的区域必须分给自己团队的销售员。',
  },
  'territories.rep_missing': { en: 'repId: user {id} does not exist.', 'zh-CN': 'repId: 用户 {id} 不存在。' },
  'territories.rep_not_in_team': {
    en: 'repId: {name} is not in your team.',
    'zh-CN': 'repId: {name} 不在你的团队中。',
  },
  'views.need_user': {
    en: 'Saved views belong to a signed-in user; the command line has none.',
    'zh-CN': '已保存的视图属于登录的用户；命令行没有用户。',
  },
  'views.invalid_query': { en: '{path}: {reason}', 'zh-CN': '{path}：{reason}' },
  'views.invalid_query_plain': {
    en: 'not a valid account list query',
    'zh-CN': '不是有效的客户列表查询',
  },
  'views.unknown_filter': {
    en: '{field}: the account list has no such filter (it takes {known}).',
    'zh-CN': '{field}: 客户列表没有这个筛选条件（可用的有 {known}）。',
  },
  'views.name_taken': {
    en: 'You already have a view named “{name}”. Choose another name.',
    'zh-CN': '你已经有名为“{name}”的视图，请换一个名称。',
  },
  'views.version_conflict': {
    en: 'The view “{name}” was changed elsewhere (you edited version {version}, it is now {current}). Reload it and apply your change again.',
    'zh-CN':
      '视图“{name}”已在别处被修改（你编辑的是第 {version} 版，现在是第 {current} 版）。请重新加载后再做一次修改。',
  },
  'views.changed_elsewhere': {
    en: 'The view “{name}” was changed elsewhere. Reload it.',
    'zh-CN': '视图“{name}”已在别处被修改，请重新加载。',
  },
  'settings.time_zone_invalid': {
    en: 'timeZone: "{timeZone}" is not an IANA time zone such as Asia/Shanghai.',
    'zh-CN': 'timeZone: “{timeZone}”不是 IANA 时区（例如 Asia/Shanghai）。',
  },

  // Version conflicts of the records several managers edit (010-record-versions; accounts, objections and views
  // have theirs above).
  'settings.version_conflict': {
    en: 'The workspace settings were changed by someone else (you edited version {version}, they are now at version {current}). Reload them and apply your change again.',
    'zh-CN':
      '工作区设置已被别人修改（你编辑的是第 {version} 版，现在是第 {current} 版）。请重新加载后再做一次修改。',
  },
  'cadence.call_version_conflict': {
    en: 'How often tier {tier} is called was changed by someone else (you edited version {version}, it is now {current}). Reload the cadence and apply your change again.',
    'zh-CN':
      '{tier} 级客户的电话频率已被别人修改（你编辑的是第 {version} 版，现在是第 {current} 版）。请重新加载后再做一次修改。',
  },
  'cadence.visit_version_conflict': {
    en: 'How often tier {tier} is visited was changed by someone else (you edited version {version}, it is now {current}). Reload the cadence and apply your change again.',
    'zh-CN':
      '{tier} 级客户的拜访频率已被别人修改（你编辑的是第 {version} 版，现在是第 {current} 版）。请重新加载后再做一次修改。',
  },
  'territories.version_conflict': {
    en: 'Territory “{name}” was changed by someone else (you edited version {version}, it is now {current}). Reload it and apply your change again.',
    'zh-CN':
      '区域“{name}”已被别人修改（你编辑的是第 {version} 版，现在是第 {current} 版）。请重新加载后再做一次修改。',
  },
  'teams.version_conflict': {
    en: 'Team “{name}” was changed by someone else (you edited version {version}, it is now {current}). Reload it and apply your change again.',
    'zh-CN':
      '团队“{name}”已被别人修改（你编辑的是第 {version} 版，现在是第 {current} 版）。请重新加载后再做一次修改。',
  },
  'users.version_conflict': {
    en: '{name} was changed by someone else (you edited version {version}, it is now {current}). Reload and apply your change again.',
    'zh-CN':
      '{name} 的信息已被别人修改（你编辑的是第 {version} 版，现在是第 {current} 版）。请重新加载后再做一次修改。',
  },
  'users.version_required': {
    en: 'version: say which version of {name} you edited (every change but your own language needs it).',
    'zh-CN': 'version: 请说明你编辑的是 {name} 的第几版（除了只改自己的语言，每次修改都需要）。',
  },
  'calendar.days_off_version_conflict': {
    en: "{name}'s days off or public holidays were changed by someone else (you edited version {version}, it is now {current}). Reload them and apply your change again.",
    'zh-CN':
      '{name} 的休息日或公共假日已被别人修改（你编辑的是第 {version} 版，现在是第 {current} 版）。请重新加载后再做一次修改。',
  },
  'market.version_conflict': {
    en: 'The target market was saved by someone else since you started (you started from version {version}, the current one is version {current}). Reload it and apply your change again.',
    'zh-CN':
      '在你编辑期间，别人已保存了目标市场（你基于第 {version} 版修改，现在是第 {current} 版）。请重新加载后再做一次修改。',
  },
  'market.version_conflict_first': {
    en: 'The target market was saved by someone else since you started (you started before the first version, the current one is version {current}). Reload it and apply your change again.',
    'zh-CN':
      '在你编辑期间，别人已保存了目标市场（你开始时还没有目标市场，现在是第 {current} 版）。请重新加载后再做一次修改。',
  },
  'market.version_none': {
    en: 'version: there is no target market yet; send version null to save the first one.',
    'zh-CN': 'version: 目前还没有目标市场；保存第一版时请发送 version null。',
  },

  // Imports (server/routes/imports.ts, services/import-prospects.ts, import-pipeline.ts).
  'imports.file_too_large': {
    en: 'The file is larger than this server accepts ({mb} MB; set TIERLINE_UPLOAD_LIMIT_MB to change it). Split the list, or import it with the CLI: tierline import <file>.',
    'zh-CN':
      '文件超过了服务器允许的大小（{mb} MB，可通过 TIERLINE_UPLOAD_LIMIT_MB 修改）。请把名单拆分，或用命令行导入：tierline import <文件>。',
  },
  'imports.multipart': {
    en: 'Send the file as multipart/form-data with one file part (e.g. curl -F file=@list.csv).',
    'zh-CN': '请以 multipart/form-data 上传文件，只含一个文件部分（例如 curl -F file=@list.csv）。',
  },
  'imports.no_file_part': { en: 'The request has no file part.', 'zh-CN': '请求中没有文件。' },
  'imports.multipart_incomplete': {
    en: 'The upload is incomplete: the multipart body ends before the closing boundary of its file part. Send the whole file again (e.g. curl -F file=@list.csv).',
    'zh-CN':
      '上传不完整：multipart 请求内容在文件部分的结束边界之前就结束了。请重新上传整个文件（例如 curl -F file=@list.csv）。',
  },
  'imports.empty_file': { en: 'The uploaded file is empty.', 'zh-CN': '上传的文件是空的。' },
  'imports.mapping_not_object': {
    en: 'mapping must be a JSON object such as {example}.',
    'zh-CN': 'mapping 必须是 JSON 对象，例如 {example}。',
  },
  'imports.mapping_invalid': { en: 'mapping: {message}', 'zh-CN': 'mapping: 列映射无效（{message}）' },
  'imports.may_not_import': { en: 'This actor may not import.', 'zh-CN': '当前身份无权导入。' },
  'imports.not_waiting': {
    en: 'Import job {id} is not waiting to run.',
    'zh-CN': '导入任务 {id} 不在等待执行。',
  },
  'imports.no_such_file': { en: '{path}: no such file.', 'zh-CN': '{path}: 文件不存在。' },
  'imports.file_gone': {
    en: 'The file of import job {id} is no longer stored; upload it again.',
    'zh-CN': '导入任务 {id} 的文件已不在服务器上；请重新上传。',
  },
  'imports.cannot_start': {
    en: 'Import job {id} is {state}; only an uploaded (or failed) job can be started.',
    'zh-CN': '导入任务 {id} 的状态是 {state}；只有已上传（或失败）的任务才能开始。',
  },
  'imports.cannot_discard': {
    en: 'Import job {id} is {state}; only an upload that was never started or an import that failed can be discarded.',
    'zh-CN': '导入任务 {id} 的状态是 {state}；只有上传后尚未开始或导入失败的任务才能丢弃。',
  },
  'imports.file_expired': {
    en: 'The uploaded file of failed import job {id} was removed on {date}, as failed imports keep their file for a limited time (TIERLINE_FAILED_IMPORT_TTL_DAYS); upload the file again.',
    'zh-CN':
      '失败的导入任务 {id} 上传的文件已于 {date} 删除（失败的导入只保留文件一段时间，见 TIERLINE_FAILED_IMPORT_TTL_DAYS）；请重新上传文件。',
  },
  'imports.owner_rep_self': {
    en: "ownerId: a rep's import gives the accounts it creates to the rep; leave ownerId out (or give your own id).",
    'zh-CN': 'ownerId: 销售员导入时，新建的客户归本人负责；请不要指定负责人（或填写你自己的 id）。',
  },
  'imports.owner_needed': {
    en: "ownerId: a manager's import gives the accounts it creates to someone in the team (you or one of your reps), so that they stay in sight; only an admin can leave them without an owner.",
    'zh-CN':
      'ownerId: 经理导入时，新建的客户要交给团队中的某个人（你自己或你的销售员），这样才看得到它们；只有管理员可以让它们暂无负责人。',
  },
  'imports.cli_job_not_restartable': {
    en: 'Import job {id} was run by the command line on its own file; run tierline import on the file again.',
    'zh-CN': '导入任务 {id} 是由命令行对本机文件执行的；请对该文件重新运行 tierline import。',
  },
  'imports.mapping_misfit': {
    en: 'The mapping does not fit the file: {errors}',
    'zh-CN': '列映射与文件不符：{errors}',
  },
  'imports.needs_name_column': {
    en: 'Map one column to name (the company name); every import needs one.',
    'zh-CN': '请把一列映射到 name（公司名称）；每次导入都需要这一列。',
  },
  'imports.changed_meanwhile': {
    en: 'Import job {id} changed meanwhile; reload it.',
    'zh-CN': '导入任务 {id} 在此期间有变动；请重新加载。',
  },
  'imports.column_mapping_misfit': {
    en: 'The column mapping does not fit this file: {errors}',
    'zh-CN': '列映射与这个文件不符：{errors}',
  },
  'imports.no_name_column': {
    en: 'No column holds the company name (columns: {columns}). Map one with a mapping such as {example}.',
    'zh-CN': '没有一列是公司名称（现有列：{columns}）。请用列映射指定一列，例如 {example}。',
  },
  'imports.lost_claim': {
    en: 'Import job {id} is no longer run by this process (it was cancelled or taken over); nothing from this run was imported.',
    'zh-CN': '导入任务 {id} 已不由本进程执行（已取消或被接管）；这次执行的内容都没有导入。',
  },
  'imports.job_without_file': {
    en: 'Import job {id} has no source or file.',
    'zh-CN': '导入任务 {id} 没有名单来源或文件。',
  },
  'imports.upload_not_on_server': {
    en: 'The uploaded file of import job {id} is not on this server ({path}). With several servers, TIERLINE_IMPORT_DIR must be one folder they all share; upload the file again.',
    'zh-CN':
      '导入任务 {id} 上传的文件不在这台服务器上（{path}）。有多台服务器时，TIERLINE_IMPORT_DIR 必须是它们共用的同一个文件夹；请重新上传文件。',
  },
  'imports.writer_stopped': {
    en: 'the import writer stopped unexpectedly (exit code {code})',
    'zh-CN': '负责写入的导入线程意外停止了（退出码 {code}）',
  },
  'imports.parse_worker_stopped': {
    en: 'the parse worker stopped ({code})',
    'zh-CN': '负责读取文件的线程意外停止了（{code}）',
  },
  'imports.interrupted_requeued': {
    en: 'interrupted: the process running it ({claimant}) stopped before the end; nothing from that run was imported; queued again',
    'zh-CN': '已中断：执行它的进程（{claimant}）在完成前停止了；那次执行的内容都没有导入；已重新排队',
  },
  'imports.server_stopped_requeued': {
    en: 'interrupted: the server running it stopped before the end; nothing from that run was imported; queued again',
    'zh-CN': '已中断：执行它的服务器在完成前停止了；那次执行的内容都没有导入；已重新排队',
  },
  'imports.interrupted_failed': {
    en: 'interrupted: the process running it ({claimant}) stopped before the end; nothing from that run was imported. Run the import again.',
    'zh-CN': '已中断：执行它的进程（{claimant}）在完成前停止了；那次执行的内容都没有导入。请重新运行导入。',
  },
  'imports.retier_failed': {
    en: 'imported; classifying the new accounts into the target market failed ({reason}); re-tier to catch up',
    'zh-CN': '已导入；但把新客户归入目标市场时出错了（{reason}）；请重新分级以补上',
  },

  // The column mapping of an import (src/import/header-mapping.ts, import-file.ts): the preview's mappingErrors
  // and conflicts. A field is a parameter in each language (its key in English, its label in Chinese).
  'import_mapping.not_object': {
    en: 'the mapping must be a JSON object keyed by column header, e.g. {example}',
    'zh-CN': '列映射必须是以列标题为键的 JSON 对象，例如 {example}',
  },
  'import_mapping.empty_column_name': {
    en: 'the mapping has an empty column name',
    'zh-CN': '列映射中有空的列名',
  },
  'import_mapping.column_problem': { en: 'column "{column}": {problem}', 'zh-CN': '列“{column}”：{problem}' },
  'import_mapping.unknown_column': {
    en: 'the mapping names column "{column}", which is not in the file (columns: {columns})',
    'zh-CN': '列映射中的列“{column}”不在文件中（文件中的列：{columns}）',
  },
  'import_mapping.field_twice': {
    en: 'field {field} is given to several columns ({columns}); map all but one of them to null',
    'zh-CN': '字段{field}被映射到了多列（{columns}）；请只让其中一列对应这个字段，其余保留为自定义字段',
  },
  'import_mapping.no_name_column': {
    en: 'no column is mapped to name (the company name); every import needs one',
    'zh-CN': '没有一列映射到企业名称；每次导入都需要这一列',
  },
  'import_mapping.conflict_auto': {
    en: 'column {number} "{header}" also looks like {field}, which column {keptNumber} "{keptHeader}" already fills; it is kept as a custom field',
    'zh-CN':
      '第 {number} 列“{header}”看起来也是{field}，但第 {keptNumber} 列“{keptHeader}”已经映射到这个字段；这一列保留为自定义字段',
  },
  'import_mapping.conflict_user': {
    en: 'column {number} "{header}" is kept as a custom field because the mapping gives {field} to column {keptNumber} "{keptHeader}"',
    'zh-CN':
      '第 {number} 列“{header}”保留为自定义字段，因为列映射把{field}给了第 {keptNumber} 列“{keptHeader}”',
  },

  // A finished import's summary (services/import-prospects.ts: summaryMessage), built from the job's counts. A
  // count that can be 1 comes as its own part with a `_one` and an `_other` key, chosen by counted() (below) where
  // the summary is built (Chinese has one form; English says "1 row", "2 rows").
  'import_summary.dry_run': {
    en: 'Dry run: {rows} would give {created} and {merged}; {rejected} rejected, {warnings}. Nothing was changed.',
    'zh-CN':
      '试运行：{rows}将新建 {created}、合并 {merged}；{rejected} 行被拒绝，{warnings}。没有做任何修改。',
  },
  'import_summary.rows_one': { en: '{count} row', 'zh-CN': '{count} 行' },
  'import_summary.rows_other': { en: '{count} rows', 'zh-CN': '{count} 行' },
  'import_summary.new_accounts_one': { en: '{count} new account', 'zh-CN': '{count} 家客户' },
  'import_summary.new_accounts_other': { en: '{count} new accounts', 'zh-CN': '{count} 家客户' },
  'import_summary.merges_one': { en: '{count} merge', 'zh-CN': '{count} 行' },
  'import_summary.merges_other': { en: '{count} merges', 'zh-CN': '{count} 行' },
  'import_summary.nothing_new_one': {
    en: 'Nothing new: the {count} valid row matched an account that already exists and added nothing; no account was created.{before}{again}',
    'zh-CN':
      '没有新内容：{count} 行有效数据都对应已有的客户，没有带来任何新信息；没有新建客户。{before}{again}',
  },
  'import_summary.nothing_new_other': {
    en: 'Nothing new: all {count} valid rows matched accounts that already exist and added nothing; no account was created.{before}{again}',
    'zh-CN':
      '没有新内容：{count} 行有效数据都对应已有的客户，没有带来任何新信息；没有新建客户。{before}{again}',
  },
  'import_summary.imported_before': {
    en: ' This file was imported before (job {jobId}).',
    'zh-CN': '这个文件以前导入过（任务 {jobId}）。',
  },
  'import_summary.imported_before_on': {
    en: ' This file was imported before (job {jobId}, {date}).',
    'zh-CN': '这个文件以前导入过（任务 {jobId}，{date}）。',
  },
  'import_summary.rejected_again_one': {
    en: ' {count} row was rejected again.',
    'zh-CN': '又有 {count} 行被拒绝。',
  },
  'import_summary.rejected_again_other': {
    en: ' {count} rows were rejected again.',
    'zh-CN': '又有 {count} 行被拒绝。',
  },
  'import_summary.done': {
    en: '{created}, {merged}, {rejected} rejected, {warnings}.',
    'zh-CN': '{created}，{merged}，{rejected} 行被拒绝，{warnings}。',
  },
  'import_summary.created_one': { en: '{count} account created', 'zh-CN': '新建 {count} 家客户' },
  'import_summary.created_other': { en: '{count} accounts created', 'zh-CN': '新建 {count} 家客户' },
  'import_summary.merged_one': {
    en: '{count} row merged into accounts that exist or came earlier in the file{unchanged}',
    'zh-CN': '{count} 行合并到已有的客户或文件中前面出现过的同一客户{unchanged}',
  },
  'import_summary.merged_other': {
    en: '{count} rows merged into accounts that exist or came earlier in the file{unchanged}',
    'zh-CN': '{count} 行合并到已有的客户或文件中前面出现过的同一客户{unchanged}',
  },
  'import_summary.unchanged': {
    en: ' ({count} added nothing new)',
    'zh-CN': '（其中 {count} 行没有带来新信息）',
  },
  'import_summary.warnings_one': { en: '{count} warning', 'zh-CN': '{count} 条警告' },
  'import_summary.warnings_other': { en: '{count} warnings', 'zh-CN': '{count} 条警告' },
  'import_summary.with_conflicts': { en: '{summary} {conflicts}', 'zh-CN': '{summary}{conflicts}' },
  'import_summary.conflicts_one': {
    en: "{count} value in the file differs from the matched account's and was not taken: the account kept its own (see the warnings; newer source wins takes the file's values).",
    'zh-CN':
      '文件中有 {count} 个值与匹配客户已有的值不同，未被采用，客户保留了原有的值（详见警告；开启“以新来源为准”可改用文件中的值）。',
  },
  'import_summary.conflicts_other': {
    en: "{count} values in the file differ from the matched accounts' and were not taken: the accounts kept their own (see the warnings; newer source wins takes the file's values).",
    'zh-CN':
      '文件中有 {count} 个值与匹配客户已有的值不同，未被采用，客户保留了原有的值（详见警告；开启“以新来源为准”可改用文件中的值）。',
  },

  // A file the import cannot read as a whole (src/import: importFileError), in AppError.details.problem.
  'import_file.cannot_read': { en: 'the file cannot be read: {reason}', 'zh-CN': '无法读取文件：{reason}' },
  'import_file.upload_unreadable': {
    en: 'the upload could not be read: {reason}',
    'zh-CN': '无法读取上传的文件：{reason}',
  },
  'import_file.sheet_for_csv': {
    en: '--sheet "{sheet}" applies to Excel files; this file is CSV/TSV',
    'zh-CN': '指定的工作表“{sheet}”（--sheet）只适用于 Excel 文件；这个文件是 CSV/TSV 格式',
  },
  'import_file.cancelled': {
    en: 'the import was cancelled while the file was being read',
    'zh-CN': '读取文件时导入被取消了',
  },
  'import_file.cancelled_workbook': {
    en: 'the import was cancelled while the workbook was being read',
    'zh-CN': '读取工作簿时导入被取消了',
  },
  'import_file.malformed_header': {
    en: 'line {line}: the header cannot be read: {reason}',
    'zh-CN': '第 {line} 行：无法读取表头：{reason}',
  },
  'import_file.record_too_large': {
    en: 'line {line}: a record is longer than {max} characters; most likely a field opens a quote (") that is never closed. Fix the quote, or raise maxRecordChars if the record really is that long',
    'zh-CN':
      '第 {line} 行：一条记录超过了 {max} 个字符；很可能是某个字段以引号（"）开头却一直没有结束引号。请补上引号；如果这条记录确实这么长，请调大 maxRecordChars',
  },
  'import_file.header_only': {
    en: 'the file has a header (line {line}) but no rows under it: there is nothing to import',
    'zh-CN': '文件只有表头（第 {line} 行），下面没有任何数据行：没有可导入的内容',
  },
  'import_file.no_rows': {
    en: 'the file has no rows, not even a header line',
    'zh-CN': '文件中没有任何内容，连表头行也没有',
  },
  'import_file.workbook_empty': { en: 'the workbook file is empty', 'zh-CN': '工作簿文件是空的' },
  'import_file.workbook_too_large': {
    en: 'the workbook is larger than {max} bytes; split it or save it as CSV',
    'zh-CN': '工作簿超过了 {max} 字节；请把它拆分，或另存为 CSV',
  },
  'import_file.legacy_xls': {
    en: 'this is an old-format Excel file (.xls) or a password-protected workbook; open it in Excel or WPS and save it as .xlsx or CSV',
    'zh-CN':
      '这是旧格式的 Excel 文件（.xls）或设置了密码的工作簿；请用 Excel 或 WPS 打开，另存为 .xlsx 或 CSV',
  },
  'import_file.not_zip': {
    en: 'this file is not an .xlsx workbook (it is not a zip archive); if it is CSV, import it as CSV',
    'zh-CN': '这个文件不是 .xlsx 工作簿（它不是 zip 压缩包）；如果它是 CSV 文件，请按 CSV 导入',
  },
  'import_file.zip_not_xlsx': {
    en: 'this zip file is not an .xlsx workbook (it has no xl/workbook.xml); if it is an .ods or .numbers file, save it as .xlsx or CSV',
    'zh-CN':
      '这个 zip 文件不是 .xlsx 工作簿（其中没有 xl/workbook.xml）；如果它是 .ods 或 .numbers 文件，请另存为 .xlsx 或 CSV',
  },
  'import_file.encrypted': {
    en: 'the workbook is encrypted; save an unprotected copy',
    'zh-CN': '工作簿已加密；请另存一份不加密的副本',
  },
  'import_file.no_sheet_with_data': {
    en: 'the workbook has no sheet with data',
    'zh-CN': '工作簿中没有含数据的工作表',
  },
  'import_file.no_visible_sheet_with_data': {
    en: 'the workbook has no visible sheet with data',
    'zh-CN': '工作簿中没有含数据的可见工作表',
  },
  'import_file.sheet_empty': { en: 'the sheet "{sheet}" is empty', 'zh-CN': '工作表“{sheet}”是空的' },
  'import_file.sheet_not_found': {
    en: 'there is no sheet named "{sheet}"; the workbook has: {sheets}',
    'zh-CN': '没有名为“{sheet}”的工作表；这个工作簿中有：{sheets}',
  },
  'import_file.sheet_contents_missing': {
    en: 'the workbook lists a sheet "{sheet}" whose contents are missing; open it in Excel or WPS and save it again as .xlsx',
    'zh-CN': '工作簿中列有工作表“{sheet}”，但它的内容缺失；请用 Excel 或 WPS 打开，重新另存为 .xlsx',
  },
  'import_file.too_many_rows': {
    en: 'the sheet "{sheet}" has more than {max} rows',
    'zh-CN': '工作表“{sheet}”超过了 {max} 行',
  },
  'import_file.part_too_large': {
    en: 'the workbook part {part} unpacks to {size} bytes, more than the {max} allowed; save the sheet as CSV and import that',
    'zh-CN':
      '工作簿中的部件 {part} 解压后有 {size} 字节，超过了允许的 {max} 字节；请把工作表另存为 CSV 后导入',
  },
  'import_file.part_over_4gib': { en: '{part} is larger than 4 GiB', 'zh-CN': '{part} 超过了 4 GiB' },
  'import_file.part_exceeds_declared': {
    en: 'the workbook part {part} unpacks to more than the {size} bytes the file declares for it: the workbook is damaged or built to exhaust memory (a "zip bomb"), so it was not read; open it in Excel or WPS and save it again, or save it as CSV',
    'zh-CN':
      '工作簿中的部件 {part} 解压后超过了文件为它声明的 {size} 字节：工作簿已损坏，或是为耗尽内存而特意构造的（“zip 炸弹”），因此没有读取；请用 Excel 或 WPS 打开后重新保存，或另存为 CSV',
  },
  'import_file.shared_strings_too_large': {
    en: 'the workbook holds more than {limit}, more than can be read safely; save the sheet as CSV (UTF-8) and import that',
    'zh-CN': '工作簿中的{limit}，超出了能安全读取的范围；请把工作表另存为 CSV（UTF-8）后导入',
  },
  'import_file.limit_texts': { en: '{count} distinct texts', 'zh-CN': '不同文本超过 {count} 条' },
  'import_file.limit_chars': { en: '{count} characters of text', 'zh-CN': '文本超过 {count} 个字符' },
  'import_file.workbook_unreadable': {
    en: 'the workbook could not be read: {reason}',
    'zh-CN': '无法读取工作簿：{reason}',
  },
  'import_file.workbook_incomplete': {
    en: 'the workbook could not be read completely; open it in Excel or WPS and save it again as .xlsx, or save it as CSV',
    'zh-CN': '无法完整读取工作簿；请用 Excel 或 WPS 打开，重新另存为 .xlsx，或另存为 CSV',
  },
  'import_file.damaged': {
    en: 'the workbook is damaged or incomplete ({what}); open it in Excel or WPS and save it again as .xlsx, or save it as CSV',
    'zh-CN': '工作簿已损坏或不完整（{what}）；请用 Excel 或 WPS 打开，重新另存为 .xlsx，或另存为 CSV',
  },
  'import_file.zip.no_end_record': { en: 'no end-of-archive record', 'zh-CN': '缺少压缩包的结束记录' },
  'import_file.zip.no_zip64_locator': { en: 'no zip64 locator', 'zh-CN': '缺少 zip64 定位记录' },
  'import_file.zip.no_zip64_end': { en: 'no zip64 end record', 'zh-CN': '缺少 zip64 结束记录' },
  'import_file.zip.directory_beyond_end': {
    en: 'the directory lies beyond the end of the file',
    'zh-CN': '压缩包目录位于文件末尾之后',
  },
  'import_file.zip.broken_directory_entry': {
    en: 'a broken directory entry',
    'zh-CN': '压缩包目录中有损坏的条目',
  },
  'import_file.zip.broken_header': { en: 'a broken header for {part}', 'zh-CN': '{part} 的文件头已损坏' },
  'import_file.zip.unexpectedly_large': { en: '{part} is unexpectedly large', 'zh-CN': '{part} 大得异常' },
  'import_file.zip.unsupported_method': {
    en: '{part} uses an unsupported compression method {method}',
    'zh-CN': '{part} 使用了不支持的压缩方式 {method}',
  },
  'import_file.zip.cannot_decompress': { en: '{part} cannot be decompressed', 'zh-CN': '{part} 无法解压' },
  'import_file.zip.no_data': { en: '{part} has no data', 'zh-CN': '{part} 没有数据' },
  'import_file.zip.shorter_than_declared': {
    en: '{part} is shorter than the file declares',
    'zh-CN': '{part} 比文件中声明的短',
  },

  // Messages of the request schemas (src/schemas/*), matched by their English text (schemas/issue-messages.ts).
  'schema.required_company_name': { en: 'company name is required', 'zh-CN': '请填写公司名称' },
  'schema.iso_date': { en: 'expected a date as YYYY-MM-DD', 'zh-CN': '日期格式应为 YYYY-MM-DD' },
  'schema.touch_at': {
    en: 'expected a date as YYYY-MM-DD or an ISO date-time with offset (e.g. 2026-10-05T14:30:00+08:00)',
    'zh-CN': '应为 YYYY-MM-DD 格式的日期，或带时区偏移的 ISO 日期时间（如 2026-10-05T14:30:00+08:00）',
  },
  'schema.existing_date': {
    en: 'expected an existing calendar date as YYYY-MM-DD',
    'zh-CN': '应为一个存在的日期，格式为 YYYY-MM-DD',
  },
  'schema.email': {
    en: 'expected an email address like name@example.com',
    'zh-CN': '请填写邮箱地址，例如 name@example.com',
  },
  'schema.ids_or_filter': { en: 'give either ids or filter', 'zh-CN': '请给出 ids 或 filter 其中之一' },
  'schema.tier_override_reason': { en: 'say why the tier is overridden', 'zh-CN': '请说明调整分级的原因' },
  'schema.employees_range': {
    en: 'employeesMin must not exceed employeesMax',
    'zh-CN': '最少员工数不能大于最多员工数',
  },
  'schema.no_nul': {
    en: 'must not contain a NUL character (\\u0000)',
    'zh-CN': '不能包含 NUL 字符（\\u0000）',
  },
  'schema.one_rule_per_tier_channel': {
    en: 'give at most one rule per tier and channel',
    'zh-CN': '每个分级和渠道最多一条规则',
  },
  'schema.objection_text': {
    en: 'write the text in at least one language (zh or en)',
    'zh-CN': '请至少用一种语言（中文或英文）填写内容',
  },
  'schema.accounts_or_user': {
    en: 'give either accountIds or fromUserId',
    'zh-CN': '请给出 accountIds 或 fromUserId 其中之一',
  },
  'schema.at_most_one_preferred': {
    en: 'mark at most one response as preferred (the first is preferred when none is)',
    'zh-CN': '最多只能有一条推荐话术（都没有标记时，第一条为推荐话术）',
  },
  'schema.skill_name': {
    en: 'name the skill in at least one language (zh or en)',
    'zh-CN': '请至少用一种语言（中文或英文）填写技能名称',
  },
  'schema.column_twice': { en: 'a column is listed twice', 'zh-CN': '有一列重复出现' },
  'schema.tier_percent_sum': {
    en: 'aPercent + bPercent must not exceed 100',
    'zh-CN': 'A 级和 B 级的百分比之和不能超过 100',
  },
  'schema.source_name': { en: 'the source needs a name', 'zh-CN': '请填写名单来源的名称' },
  'schema.source_cost_max': {
    en: 'a list costs at most 1,000,000,000,000 yuan (1万亿)',
    'zh-CN': '名单费用最多为 1,000,000,000,000 元（1万亿）',
  },
  'schema.cleaning_hours_max': {
    en: 'cleaning a list takes at most 100,000 hours',
    'zh-CN': '清理名单的时间最多为 100,000 小时',
  },
  'schema.empty_header': { en: 'a header in the mapping is empty', 'zh-CN': '列映射中有空的列名' },
  'schema.name_required': { en: 'a name is required', 'zh-CN': '请填写名称' },
  'schema.view_name_required': { en: 'give the view a name', 'zh-CN': '请给视图起个名称' },
  'schema.view_name_length': {
    en: 'a view name has at most 80 characters',
    'zh-CN': '视图名称最多 80 个字符',
  },
  'schema.exactly_one_preferred': {
    en: 'mark exactly one response as preferred (found {found})',
    'zh-CN': '只能把一条话术设为推荐话术（现在有 {found} 条）',
  },
  'schema.response_code_twice': {
    en: 'response code {code} is used twice in this objection; give each response its own code',
    'zh-CN': '话术代码 {code} 在这条异议中用了两次；每条话术要有自己的代码',
  },
  'schema.min_over_max': {
    en: '{low} is more than {max} ({high}): no account could match',
    'zh-CN': '{low} 大于 {max}（{high}）：这样没有客户能符合',
  },
  'schema.from_after_to': {
    en: 'from ({from}) must not be after to ({to})',
    'zh-CN': 'from（{from}）不能晚于 to（{to}）',
  },
  'schema.unknown_import_field': {
    en: 'unknown field {input}; use one of {fields}, or null to keep the column as a custom field',
    'zh-CN': '未知字段 {input}；请使用 {fields} 之一，或用 null 把这一列保留为自定义字段',
  },
} as const satisfies Record<string, MessageTemplates>;

export type MessageKey = keyof typeof MESSAGES;

/** The parameter names a template uses: `'{id} of {name}'` → `'id' | 'name'`. */
type ParamNames<S extends string> = S extends `${string}{${infer Name}}${infer Rest}`
  ? Name | ParamNames<Rest>
  : never;

/** A parameter written in each language by whoever makes it (an import reason and its translation, say). */
export interface InEachLocale {
  readonly en: string;
  readonly 'zh-CN': string;
}
export type MessageParamValue = string | number | Message | InEachLocale;
export type MessageParams<K extends MessageKey> = [ParamNames<(typeof MESSAGES)[K]['en']>] extends [never]
  ? Record<string, never>
  : Record<ParamNames<(typeof MESSAGES)[K]['en']>, MessageParamValue>;

/** A message to render later in some language: a catalog key and its parameters (which may be messages too). */
export interface Message {
  readonly key: MessageKey;
  readonly params: Readonly<Record<string, MessageParamValue>>;
}

/** `msg('accounts.missing', { id })`; the parameters are checked against the English template. */
export function msg<K extends MessageKey>(
  key: K,
  ...params: [ParamNames<(typeof MESSAGES)[K]['en']>] extends [never] ? [] : [MessageParams<K>]
): Message {
  return { key, params: params[0] ?? {} };
}

/** The catalog keys with both a `_one` and an `_other` form, without the suffix. */
type OneBase<K> = K extends `${infer Base}_one` ? Base : never;
type OtherBase<K> = K extends `${infer Base}_other` ? Base : never;
export type CountedBase = OneBase<MessageKey> & OtherBase<MessageKey>;

/**
 * A count in words, the catalog's plural convention: a message whose English depends on the number has a `_one`
 * and an `_other` key (Chinese writes both alike), and this picks one by `n` (English plurals: 1 is "one"), with
 * `{count}` = n: `counted('auth.wait_seconds', 1)` → "1 second", 2 → "2 seconds".
 */
export function counted(
  base: CountedBase,
  n: number,
  params: Record<string, MessageParamValue> = {},
): Message {
  const key = `${base}_${n === 1 ? 'one' : 'other'}` as MessageKey;
  return { key, params: { count: n, ...params } };
}

export const isMessage = (value: unknown): value is Message =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { key?: unknown }).key === 'string' &&
  Object.hasOwn(MESSAGES, (value as { key: string }).key);

const PARAM = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

/** The names of the `{name}` parameters in a template, in order of appearance (repeats kept). */
export function templateParams(template: string): string[] {
  return [...template.matchAll(PARAM)].map((match) => match[1] as string);
}

/** Renders a message in a language; a parameter the template names but the message lacks stays as `{name}`. */
export function renderMessage(message: Message, locale: Locale): string {
  const template = MESSAGES[message.key][locale];
  return template.replace(PARAM, (whole, name: string) => {
    const value = message.params[name];
    if (value === undefined) return whole;
    if (typeof value !== 'object') return String(value);
    return 'key' in value ? renderMessage(value, locale) : value[locale];
  });
}

let byEnglish: Map<string, MessageKey> | null = null;
let schemaPatterns: { key: MessageKey; pattern: RegExp; names: string[] }[] | null = null;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The catalog message whose English text is `text`, or null: any parameterless message, or a `schema.*` message
 * with parameters (`mark exactly one response as preferred (found 2)`). For the messages of the request schemas,
 * which zod hands over as text.
 */
export function messageOfEnglish(text: string): Message | null {
  if (!byEnglish || !schemaPatterns) {
    byEnglish = new Map();
    schemaPatterns = [];
    for (const [key, templates] of Object.entries(MESSAGES) as [MessageKey, MessageTemplates][]) {
      const names = templateParams(templates.en);
      if (names.length === 0) {
        if (!byEnglish.has(templates.en)) byEnglish.set(templates.en, key);
      } else if (key.startsWith('schema.')) {
        const source = templates.en
          .split(PARAM)
          .map((part, i) => (i % 2 === 1 ? '(.+?)' : escapeRegExp(part)))
          .join('');
        schemaPatterns.push({ key, pattern: new RegExp(`^${source}$`), names });
      }
    }
  }
  const key = byEnglish.get(text);
  if (key) return { key, params: {} };
  for (const { key: patternKey, pattern, names } of schemaPatterns) {
    const match = pattern.exec(text);
    if (match) {
      return {
        key: patternKey,
        params: Object.fromEntries(names.map((name, i) => [name, match[i + 1] ?? ''])),
      };
    }
  }
  return null;
}
