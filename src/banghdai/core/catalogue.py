"""The texts of input errors, warnings and the command line, in English and Chinese.

Every error, warning and line the library shows a planner is registered here
by code (``register(code, en=..., zh=...)``), with a hint how to fix it where
one helps (``register_hint``); a raise site names the code and its parameters
(``InputError(Msg("input.empty_id"), ...)``). Rule labels and explanations
register their own texts beside the rules (see :mod:`banghdai.core.messages`).

The Chinese texts say things as a 组织部 planner does: tables by their Chinese
names, rows as the spreadsheet shows them, no Python words.

Example
-------
>>> from banghdai.core.messages import text
>>> text("read.not_found", "zh")
'找不到这个文件'
"""

from __future__ import annotations

from .messages import CATALOGUE, register, register_hint

# ------------------------------------------------------------------------- words used in texts
for _code, _en, _zh in (
    ("table.mentors", "mentors", "导师表"),
    ("table.mentees", "mentees", "帮带对象表"),
    ("table.fixed", "fixed", "固定结对表"),
    ("table.forbidden", "forbidden", "禁止结对表"),
    ("table.pair_scores", "pair_scores", "结对评分表"),
    ("table.preferences", "preferences", "志愿表"),
    ("table.inputs", "inputs", "输入"),
    ("table.rules", "rules", "规则文件"),
    ("table.rules [files]", "rules [files]", "规则文件 [files]"),
    ("table.designations", "designations", "指定结对表"),
    ("side.mentor", "mentor", "导师"),
    ("side.mentee", "mentee", "帮带对象"),
    ("read.where.roster folder", "roster folder", "名单文件夹"),
    ("read.where.rules file's folder", "rules file's folder", "规则文件所在文件夹"),
    ("read.a_roster_folder", "a roster folder", "名单文件夹"),
):
    register(_code, en=_en, zh=_zh)

register("lang.unknown", en="unknown language {name!r}", zh="不支持的语言“{name}”")

# ------------------------------------------------------------------------------- reading files
register("read.not_found", en="file not found", zh="找不到这个文件")
register_hint("read.not_found", en="check the file name and the folder",
              zh="请检查文件名和所在文件夹")
register("read.path_not_found", en="not found: {path}", zh="找不到：{path}")
register_hint("read.path_not_found", en="check the name of the folder or workbook",
              zh="请检查文件夹或工作簿的名称")
register("read.is_folder", en="is a folder, but a file is expected here",
         zh="这是一个文件夹，这里需要一个文件")
register("read.cannot_read", en="cannot read the file: {reason}", zh="无法读取文件：{reason}")
register_hint("read.cannot_read", en="close the file in Excel and check it may be read",
              zh="请在 Excel 中关闭该文件，并确认有读取权限")
register("read.same_header", en="columns {a} and {b} are both called {name!r}; rename one",
         zh="第{a}列和第{b}列都叫“{name}”；请改掉其中一个列名")
register("read.empty_bytes", en="the file is empty (0 bytes): it needs at least a header row",
         zh="文件是空的（0字节）：至少需要一行表头")
register("read.empty_text", en="the file is empty: it needs at least a header row",
         zh="文件是空的：至少需要一行表头")
register("read.empty_sheet", en="the sheet is empty: it needs at least a header row",
         zh="工作表是空的：至少需要一行表头")
register("read.fields_too_many",
         en="{n} fields, but the header has {header} (too many: a stray or missing separator "
            "shifts the columns)",
         zh="这一行有{n}个字段，表头只有{header}个（多了：多余或缺少的分隔符使各列错位）")
register("read.fields_too_few",
         en="{n} fields, but the header has {header} (too few: a stray or missing separator "
            "shifts the columns)",
         zh="这一行有{n}个字段，表头有{header}个（少了：多余或缺少的分隔符使各列错位）")
for _code in ("read.fields_too_many", "read.fields_too_few"):
    register_hint(_code, en="check the commas of this row, or save the table from Excel again",
                  zh="请检查这一行的逗号，或在 Excel 中重新另存为 CSV")
register("read.open_quote", en="a quote is not closed or is followed by text ({detail})",
         zh="引号没有闭合，或引号后面还有文字（{detail}）")
register_hint("read.open_quote", en="close the quote in this row",
              zh="请补全这一行的引号")
register("read.nul_bytes", en="the file contains NUL bytes: it is not a text table",
         zh="文件含有空字节（NUL）：不是文本表格")
register("read.cannot_parse", en="cannot read the table: {detail}", zh="无法读取表格：{detail}")
register("read.empty_workbook", en="the workbook is empty (0 bytes)", zh="工作簿是空的（0字节）")
register("read.not_excel_text",
         en="not an Excel workbook (the content looks like text such as CSV); save it again "
            "from Excel, or as .csv with a .csv name",
         zh="不是 Excel 工作簿（内容像 CSV 之类的文本）；请在 Excel 中重新保存，或改用 .csv 扩展名")
register("read.not_excel_damaged",
         en="not an Excel workbook (the content looks like a damaged file); save it again "
            "from Excel, or as .csv with a .csv name",
         zh="不是 Excel 工作簿（文件似乎已损坏）；请在 Excel 中重新保存，或另存为 .csv")
register("read.needs_package",
         en="reading this workbook needs {package}: pip install {package} (or save it as "
            ".xlsx without a password, or as .csv)",
         zh="读取这个工作簿需要安装 {package}（pip install {package}）；或将其另存为无密码的 "
            ".xlsx 或 .csv")
register("read.damaged", en="damaged workbook ({detail})", zh="工作簿已损坏（{detail}）")
register_hint("read.damaged", en="open it in Excel and save it again",
              zh="请在 Excel 中打开并重新保存")
register("read.bad_sheet", en="cannot read sheet {sheet!r} ({detail})",
         zh="无法读取工作表“{sheet}”（{detail}）")
register("read.no_sheet", en="no sheet {sheet!r}", zh="没有名为“{sheet}”的工作表")
register("read.no_sheet_number", en="no sheet number {sheet}", zh="没有第{sheet}个工作表")
register("read.file_type", en="unsupported file type {suffix!r}",
         zh="不支持的文件类型“{suffix}”")
register_hint("read.file_type", en="save the table as .xlsx or .csv",
              zh="请将表格另存为 .xlsx 或 .csv")
register("read.bad_bom", en="starts with a {encoding} byte-order mark but is not valid "
                            "{encoding} (byte {byte})",
         zh="文件以 {encoding} 字节顺序标记开头，但内容不是有效的 {encoding}（第{byte}字节）")
register("read.cannot_decode", en="cannot decode the file (tried {tried}); save it as UTF-8",
         zh="无法识别文件编码（已尝试 {tried}）；请另存为 UTF-8 编码")
register("read.unsure_encoding",
         en="cannot tell the file's encoding for sure (tried {tried}; it reads as {read} only "
            "with unusual characters); save it as UTF-8",
         zh="无法确定文件编码（已尝试 {tried}；按 {read} 读出的字很少见）；请另存为 UTF-8 编码")
register("read.several_files", en="{n} files could be the {what} table: {names}; keep one",
         zh="有{n}个文件都可能是{what}：{names}；请只保留一个")
register("read.no_rows", en="the {side} table has a header but no rows",
         zh="{side}只有表头，没有数据行")
register_hint("read.no_rows", en="fill in at least one person below the header",
              zh="请在表头下至少填写一人")
register("read.side_empty", en="{path} is empty: no {key} pairs",
         zh="{path} 是空的：没有{key}中的结对")
register("read.side_no_rows", en="{path} has a header but no rows: no {key} pairs",
         zh="{path} 只有表头没有数据行：没有{key}中的结对")
register("read.sheet_no_rows", en="sheet {sheet!r} of {path} has no rows: no {key} pairs",
         zh="{path} 的工作表“{sheet}”没有数据行：没有{key}中的结对")
register("read.files_name", en="[files] {key} must be a file name in the {what}, got {named!r}",
         zh="[files] {key} 必须是{what}中的文件名，现为“{named}”")
register("read.files_outside",
         en="{named!r} is outside the {what} {folder}; side tables must be in the {what}",
         zh="“{named}”不在{what} {folder} 中；附表必须放在{what}中")
register("read.files_table", en="[files] must be a table of file names",
         zh="[files] 必须是文件名的表")
register_hint("read.files_table", en='write e.g. [files] then fixed = "fixed.csv"',
              zh='例如写成 [files] 下一行 fixed = "fixed.csv"')
register("read.files_missing", en="rules.toml names {named!r}, which is missing from the "
                                  "{what} {folder}",
         zh="rules.toml 写了“{named}”，但{what} {folder} 中没有这个文件")
register("read.no_table", en="no {side} table in {path}", zh="{path} 中没有{side}")
register_hint("read.no_table", en="name the file as one of the valid choices",
              zh="请按下列可选名称之一给文件命名")
register("read.several_sheets", en="sheets {sheets} could all be the {what} table; keep one",
         zh="工作表 {sheets} 都可能是{what}；请只保留一个")
register("read.workbook_needs_mentors",
         en="the workbook needs a mentors sheet (named one of {mentors}); rename its sheets",
         zh="工作簿缺少导师表（工作表名称应为 {mentors} 之一）；请修改工作表名称")
register("read.workbook_needs_mentees",
         en="the workbook needs a mentees sheet (named one of {mentees}); rename its sheets",
         zh="工作簿缺少帮带对象表（工作表名称应为 {mentees} 之一）；请修改工作表名称")
register("read.workbook_needs_both",
         en="the workbook needs a mentors sheet (named one of {mentors}) and a mentees sheet "
            "(named one of {mentees}); rename its sheets",
         zh="工作簿缺少导师表（工作表名称应为 {mentors} 之一）和帮带对象表（应为 {mentees} 之一）；"
            "请修改工作表名称")
register("read.sheet_and_file",
         en="the {key} table is both the sheet {sheet!r} and the file [files] {key} = "
            "{named!r}; keep one",
         zh="{key} 表既是工作表“{sheet}”，又是 [files] {key} = “{named}”；请只保留一个")
register("read.not_roster", en="not a folder or workbook: {path}",
         zh="既不是文件夹也不是工作簿：{path}")
register("read.bad_toml", en="bad TOML: {detail}", zh="规则文件格式错误（TOML）：{detail}")
register_hint("read.bad_toml",
              en='check the line named: text in "quotes", one key = value per line',
              zh="请检查所指的行：文字要加英文双引号，每行一个“键 = 值”")
register("read.toml_too_deep", en="bad TOML: nested too deeply",
         zh="规则文件格式错误（TOML）：嵌套太深")
register("read.bad_toml_at", en="bad TOML: {detail}",
         zh="规则文件格式错误（TOML）：第{line}行第{col}列写法不对")
register_hint("read.bad_toml_at",
              en='check that line: text in "quotes", one key = value per line',
              zh="请检查这一行：文字要加英文双引号，每行一个“键 = 值”")

# ------------------------------------------------------------------------ tables and their cells
for _code, _en, _zh in (
    ("word.capacity", "capacity", "导师带教人数上限（capacity）"),
    ("word.min_load", "min_load", "导师最少带教人数（min_load）"),
    ("word.mentors_per_mentee", "mentors_per_mentee", "每名帮带对象的导师人数（mentors_per_mentee）"),
    ("word.mentor_teams", "mentor_teams", "导师所在小组数（mentor_teams）"),
    ("word.mentor", "mentor", "导师"),
    ("word.mentee", "mentee", "帮带对象"),
    ("word.priority", "priority", "优先级（priority）"),
):
    register(_code, en=_en, zh=_zh)

register("input.unknown_side", en="unknown side {side!r}", zh="未知的一方“{side}”")
register("input.column_renamed",
         en="rule {rule} names column {column!r}, which is read as {renamed!r} (a header the "
            "library recognises): name {renamed!r} in the rule",
         zh="规则“{rule}”写的列“{column}”已被识别为“{renamed}”（本程序认识的列名）：请在规则中写“{renamed}”")
register("input.column_missing",
         en="rule {rule} needs column {column!r}, which the {side} table lacks",
         zh="规则“{rule}”需要列“{column}”，但{side}中没有这一列")
register_hint("input.column_missing",
              en="add the column, or map one of the valid choices to it under [columns] in "
                 "rules.toml",
              zh="请在表中加上这一列，或在 rules.toml 的 [columns] 中把下列已有的某一列对应过去")
register("input.number",
         en="rule {rule} needs a finite number between {lo} and {hi} here, got {value!r}",
         zh="规则“{rule}”要求这里是 {lo} 到 {hi} 之间的数，现为“{value}”")
register_hint("input.number", en="write a number in this cell", zh="请在这个单元格中填写数字")
register("input.unknown_id", en="unknown {side} id {value!r}",
         zh="{side}编号“{value}”在{side}名单中找不到")
register_hint("input.unknown_id", en="check the id against the roster, or delete the row",
              zh="请对照名单核对编号，或删去这一行")
register("input.mapping_strings", en="column mapping keys and values must be strings",
         zh="列对应关系的键和值都必须是文字")
register("input.mapping_unknown",
         en="unknown column mapping {canonical!r} = {actual!r}: {canonical!r} is not a column "
            "name the library knows and the {side} table has no header {actual!r} (a mapping "
            "is {{canonical name: your header}}; its headers: {headers})",
         zh="无法识别的列对应“{canonical} = {actual}”：“{canonical}”不是本程序认识的列名，{side}"
            "也没有名为“{actual}”的列（写法是 标准列名 = \"你的列名\"；表中的列：{headers}）")
register("input.the_id_column", en="the id column", zh="编号列")
register("input.the_column", en="column {column!r}", zh="列“{column}”")
register("input.mapping_absent",
         en="column mapping {canonical!r} = {actual!r} names a header the {side} table does "
            "not have; map {where} to one of its headers: {how}",
         zh="列对应“{canonical} = {actual}”写的列名在{side}中没有；请把{where}对应到表中已有的列：{how}")
register("input.mapping_how",
         en="{python}={{{canonical!r}: 'your header'}} (or columns={{{canonical!r}: ...}} for "
            "both tables) in Python, or [columns.{side}] {canonical} = \"your header\" in "
            "rules.toml",
         zh="在 rules.toml 中写 [columns.{side}] 下一行 {canonical} = \"你的列名\"（Python 中用 "
            "{python}={{'{canonical}': '你的列名'}}）")
register("input.renamed_twice", en="two columns would both be called {name!r} after renaming",
         zh="改名后会有两列都叫“{name}”")
register_hint("input.renamed_twice", en="delete or rename one of the two columns",
              zh="请删去或改名其中一列")
register("input.ids_from_number",
         en="{side} table{file}: no id column the library knows ({known} …): its {number!r} "
            "column is used as the {one} id; to use another column, map it: {how}",
         zh="{side}{file}没有本程序认识的编号列（{known} ……）：用“{number}”列作为{one}编号；"
            "如要用别的列：{how}")
register("input.number_unusable",
         en=" ({number!r} is not usable as ids: it has blank or repeated numbers in rows "
            "{rows})",
         zh="（“{number}”列不能作编号：第 {rows} 行为空或重复）")
register("input.rows_of_file", en="the row numbers of {file}", zh="{file} 的行号")
register("input.rows_1_2", en="the row numbers 1, 2, …", zh="行号 1、2、……")
register("input.ids_from_rows",
         en="{side} table{file}: no id column the library knows ({known} …){why}: {shown} are "
            "used as the {one} ids; to use a column of yours, map it: {how}",
         zh="{side}{file}没有本程序认识的编号列（{known} ……）{why}：用{shown}作为{one}编号；"
            "如要用自己的列：{how}")
register("input.not_frame", en="expected a pandas DataFrame, got {got}",
         zh="需要 pandas DataFrame，收到的是 {got}")
register("input.empty_id", en="empty id", zh="编号为空")
register_hint("input.empty_id", en="fill in the id, or delete the row",
              zh="请填写编号，或删去这一行")
register("input.blank_id", en="empty id (only white space: {value!r})",
         zh="编号为空（只有空格：“{value}”）")
register_hint("input.blank_id", en="fill in the id, or delete the row",
              zh="请填写编号，或删去这一行")
register("input.duplicate_id", en="duplicate id (first seen at row {first})",
         zh="编号重复（第一次出现在第{first}行）")
register_hint("input.duplicate_id",
              en="delete the repeated row, or give one of the two people another id",
              zh="请删去重复的一行，或给其中一人换一个编号")
register("input.duplicate_id_at",
         en="duplicate id (first seen at row {first}, spreadsheet row {excel})",
         zh="编号重复（第一次出现在第{excel}行）")
register_hint("input.duplicate_id_at",
              en="delete the repeated row, or give one of the two people another id",
              zh="请删去重复的一行，或给其中一人换一个编号")
register("input.lat_range", en="lat must be a number in [{lo}, {hi}], got {value!r}",
         zh="纬度（lat）必须是 {lo} 到 {hi} 之间的数，现为“{value}”")
register("input.lon_range", en="lon must be a number in [{lo}, {hi}], got {value!r}",
         zh="经度（lon）必须是 {lo} 到 {hi} 之间的数，现为“{value}”")
for _code in ("input.lat_range", "input.lon_range"):
    register_hint(_code, en="write the coordinate as a decimal number, or leave the cell empty",
                  zh="请把坐标写成小数（如 35.83），或让这个单元格留空")
register("input.degree", en="{what} must be a whole number from 0 to {max}, got {value!r}",
         zh="{what}必须是0到{max}之间的整数，现为 {value}")
register_hint("input.degree", en="write a whole number such as 2 in this cell",
              zh="请在这个单元格中填写整数，如 2")
register("input.table_not_frame", en="{table} must be a DataFrame, got {got}",
         zh="{table}必须是 DataFrame，收到的是 {got}")
register("input.table_needs_column", en="{table} table needs this column",
         zh="{table}需要这一列")
register("input.pair_table_column", en="pair table needs column {column!r}",
         zh="结对表需要列“{column}”")
register_hint("input.pair_table_column",
              en="give the table a mentor id column and a mentee id column",
              zh="表中需要导师编号列和帮带对象编号列")

# -------------------------------------------------------------------------- rules and settings
for _code, _en, _zh in (
    ("word.shape", "shape", "结对方式（shape）"),
    ("word.unmatched", "unmatched", "未匹配处理（unmatched）"),
    ("word.sense", "sense", "优化方向（sense）"),
    ("word.weight", "weight", "权重（weight）"),
    ("word.km", "km", "距离（km）"),
    ("word.scale_km", "scale_km", "距离尺度（scale_km）"),
    ("word.level", "level", "区域层级（level）"),
    ("word.column", "column", "列（column）"),
    ("word.side", "side", "一方（side）"),
    ("word.rank column", "rank column", "志愿排名列"),
):
    register(_code, en=_en, zh=_zh)

register("input.unknown_choice", en="unknown {what} {value!r}", zh="{what}的取值“{value}”无法识别")
register_hint("input.unknown_choice", en="write one of the valid choices",
              zh="请改为下列可选值之一")
register("input.count_or_column",
         en="{what} must be a non-negative integer or a column name, got {value!r}",
         zh="{what}必须是不小于0的整数或列名，现为“{value}”")
register("input.count", en="{what} must be a non-negative integer, got {value!r}",
         zh="{what}必须是不小于0的整数，现为“{value}”")
register("input.need_positive", en="a positive number", zh="正数")
register("input.need_at_least", en="a finite number >= {minimum}", zh="不小于{minimum}的数")
register("input.need_finite", en="a finite number", zh="有限的数")
register("input.must_be", en="{what} must be {need}, got {value!r}",
         zh="{what}必须是{need}，现为“{value}”")
register("input.column_name", en="{what} must be a column name (text), got {value!r}",
         zh="{what}必须是列名（文字），现为“{value}”")
register("input.bool", en="{what} must be true or false, got {value!r}",
         zh="{what}必须是 true 或 false，现为“{value}”")
register("input.penalty_needs_allow", en="unmatched_penalty only applies with unmatched='allow'",
         zh="只有在 unmatched = \"allow\" 时才能设置 unmatched_penalty（未匹配惩罚）")
register("input.penalty_number",
         en="unmatched_penalty must be a finite number >= 0, got {value!r}",
         zh="unmatched_penalty（未匹配惩罚）必须是不小于0的数，现为“{value}”")
register("input.pairing_type",
         en="pairing must be made by OneToOne/OneToMany/ManyToOne/ManyToMany, got {value!r}",
         zh="结对方式必须由 OneToOne/OneToMany/ManyToOne/ManyToMany 给出，现为 {value!r}")
register("input.no_rows_warning", en="the {side} table has no rows: nobody can be paired",
         zh="{side}没有数据行：无人可以结对")
register("input.require_takes", en="require() takes edge and group rules, got {value!r}",
         zh="require() 只接受结对规则和分组规则，现为 {value!r}")
register("input.level_in_prefer", en="{name} is a level: pass it as prefer(levels=[...])",
         zh="{name} 是优先级层级：请用 prefer(levels=[...]) 传入")
register("input.prefer_takes", en="prefer() takes scores, got {value!r}",
         zh="prefer() 只接受评分项，现为 {value!r}")
register("input.pair_score_twice", en="two PairScore terms named {name!r}; pass name=",
         zh="有两个名为“{name}”的结对评分表；请用 name= 区分")
register("input.nearest_k", en="k must be a positive integer, got {value!r}",
         zh="k（最近几名）必须是正整数，现为“{value}”")
register("input.preferences_ranks", en="Preferences needs mentee_rank= and/or mentor_rank=",
         zh="志愿表需要 mentee_rank=（帮带对象志愿）或 mentor_rank=（导师志愿）")
register("input.allowed_map", en="allowed maps each category to its mentor types",
         zh="allowed 应为“类别 → 可带的导师类型”的对应表")
register("input.allowed_list", en="allowed[{category!r}] must be a list of mentor types, "
                                  "got {value!r}",
         zh="allowed 中“{category}”必须是导师类型的列表，现为 {value!r}")
register_hint("input.allowed_list", en='write e.g. {category} = ["经验型", "技能型"]',
              zh='例如写成 {category} = ["经验型", "技能型"]')
register("input.roles_list", en="roles must be a non-empty list of role names",
         zh="roles（角色）必须是非空的角色名称列表")
register("input.role_twice", en="a role is listed twice in the template",
         zh="角色模板中有角色重复")
register("input.unknown_count", en="unknown count {value!r}", zh="无法识别的计数方式“{value}”")
register("input.count_mentees_side", en="count='mentees' needs side='mentee'",
         zh="count = \"mentees\" 需要 side = \"mentee\"")
register("input.count_mentors_side", en="count='mentors' needs side='mentor'",
         zh="count = \"mentors\" 需要 side = \"mentor\"")
register("input.quota_bounds_missing", en="a quota needs min= or max=",
         zh="名额规则需要 min（下限）或 max（上限）")
register("input.quota_bound", en="quota bounds must be whole numbers >= 0, got {value!r}",
         zh="名额上下限必须是不小于0的整数，现为“{value}”")
register("input.load_source", en="Load needs exactly one of mentee_column= or table=",
         zh="Load 需要且只需要 mentee_column= 或 table= 之一")

# ------------------------------------------------------------------------------ the rules file
for _code, _en, _zh in (
    ("type.bool", "true or false", "true 或 false"),
    ("type.int", "a whole number", "整数"),
    ("type.float", "a finite number", "数字"),
    ("type.text", "text", "文字（加英文双引号）"),
    ("type.file", "a file name (text)", "文件名（文字）"),
    ("type.list", "a list", "列表（如 [\"甲\", \"乙\"]）"),
    ("type.int_table", "a table of whole numbers", "由整数组成的表"),
    ("type.seconds", "a positive number of seconds", "正的秒数"),
    ("type.workers", "a whole number >= 1", "不小于1的整数"),
    ("type.table", "a table", "一个表（[节名]）"),
    ("type.array", "an array of tables", "表的数组（[[节名]]）"),
):
    register(_code, en=_en, zh=_zh)
register("type.one_of", en="one of {values}", zh="{values} 之一")
register("type.or", en="{a} or {b}", zh="{a}或{b}")

register("rules.unknown_option_for", en="unknown option {key!r} for {name}",
         zh="{name} 没有“{key}”这一项")
register_hint("rules.unknown_option_for", en="check the spelling against the valid choices",
              zh="请对照下列可选项检查拼写")
register("rules.unknown_option", en="unknown option {key!r}", zh="无法识别的设置项“{key}”")
register_hint("rules.unknown_option", en="check the spelling against the valid choices",
              zh="请对照下列可选项检查拼写")
register("rules.must_be", en="{key} must be {need}, got {value!r}",
         zh="{key} 必须是{need}，现为 {value!r}")
register("rules.needs", en="{name} needs {key!r}", zh="{name} 需要设置“{key}”")
register("rules.entry_table", en="each {section} entry must be a table, got {value!r}",
         zh="每个 {section} 条目都必须是一个表，现为 {value!r}")
register("rules.unknown_rule", en="unknown rule {name!r}", zh="无法识别的规则“{name}”")
register("rules.unknown_score", en="unknown score {name!r}", zh="无法识别的评分项“{name}”")
register("rules.unknown_level", en="unknown level {name!r}", zh="无法识别的层级“{name}”")
for _code in ("rules.unknown_rule", "rules.unknown_score", "rules.unknown_level"):
    register_hint(_code, en="write one of the valid choices", zh="请改为下列可选名称之一")
register("rules.score_list", en="{key} must be a list of score tables",
         zh="{key} 必须是评分项的列表")
register("rules.section_type", en="[{key}] must be {what}, got {value!r}",
         zh="[{key}] 必须是{what}，现为 {value!r}")
register("rules.not_table", en="a rules file must be a table of sections",
         zh="规则文件必须由若干 [节] 组成")
register("rules.unknown_section", en="unknown section {key!r}", zh="无法识别的节“{key}”")
register_hint("rules.unknown_section", en="check the spelling against the valid choices",
              zh="请对照下列可选节名检查拼写")
register("rules.unknown_shape", en="unknown shape {shape!r}", zh="无法识别的结对方式“{shape}”")
register("rules.column_side", en="unknown column side {key!r}", zh="无法识别的一方“{key}”")
register("rules.mapping_text", en="a column mapping names a header (text)",
         zh="列对应关系的值必须是列名（文字）")
register("rules.column_text", en="column {key!r} must name a header (text), got {value!r}",
         zh="列“{key}”必须对应一个列名（文字），现为 {value!r}")
register("rules.columns_side_text",
         en="[columns] {key} = {value!r}: {key} names a table, so it needs a table of column "
            "names, not one header",
         zh="[columns] {key} = \"{value}\"：{key} 指的是一张表，需要写成列对应表，而不是一个列名")
register_hint("rules.columns_side_text",
              en="write [columns.{key}] and below it one line per column, e.g. township = "
                 "\"{value}\"",
              zh="请写 [columns.{key}]，在它下面每列一行，例如 township = \"{value}\"")
register("rules.file_text", en="{key} must be a file name (text), got {value!r}",
         zh="{key} 必须是文件名（文字），现为 {value!r}")
register("rules.needs_table", en="{rule} needs {key} = \"<file>\" or a {side} table in the "
                                 "roster",
         zh="规则 {rule} 需要写 {key} = \"文件名\"，或在名单中提供{side}")
register("rules.no_folder", en="{rule}: {key} names a file, but the rules have no folder",
         zh="规则 {rule}：{key} 写的是文件名，但规则没有所在文件夹")
register("rules.outside", en="{key} = {value!r} points outside the rules file's folder",
         zh="{key} = “{value}” 指向了规则文件所在文件夹之外")
register_hint("rules.outside", en="put the file beside rules.toml",
              zh="请把该文件放在 rules.toml 旁边")
register("input.mapping_not_dict", en="{what} must map column names to headers, got {value!r}",
         zh="{what} 必须是“列名 → 表头”的对应表，现为 {value!r}")

# ------------------------------------------------------------------------------------- outputs
register("io.no_folder", en="the folder {folder} does not exist", zh="文件夹 {folder} 不存在")
register_hint("io.no_folder", en="create the folder first, or write somewhere else",
              zh="请先建立这个文件夹，或写到别处")
register("io.not_folder", en="{folder} is not a folder", zh="{folder} 不是文件夹")
register("io.is_folder", en="{path} is a folder; give a file name",
         zh="{path} 是一个文件夹；请给出文件名")
register("io.read_only", en="{path} is read-only", zh="{path} 是只读文件")
register_hint("io.read_only", en="close it in Excel, or write to another file",
              zh="请在 Excel 中关闭它，或写到另一个文件")
register("io.cannot_write", en="cannot write in {folder}: {reason}",
         zh="无法在 {folder} 中写入：{reason}")
register("io.is_input", en="{value} is an input file; it would be overwritten — write the "
                           "results somewhere else",
         zh="{value} 是输入文件，会被覆盖；请把结果写到别处")
register("io.same_file", en="names the same file as {other} ({path})",
         zh="与 {other} 指向同一个文件（{path}）")

# ------------------------------------------------------------------------- compiling the rules
register("compile.no_coordinates",
         en="{missing} have no coordinates (lat/lon): a distance rule gives them no candidate; "
            "they are reported as missing coordinates, not as too far",
         zh="{missing}没有坐标（lat/lon）：按距离的规则无法为其找到人选；会列为“缺少坐标”，而不是“距离太远”")
register("compile.preference_fit", en="PreferenceFit needs Preferences with {side}_rank",
         zh="志愿匹配度评分需要含 {side}_rank 列的志愿表")
register("compile.coordinates_everywhere", en="{rule} needs coordinates on every row",
         zh="“{rule}”要求每一行都有坐标")
register_hint("compile.coordinates_everywhere", en="fill in lat and lon on this row",
              zh="请在这一行填写纬度（lat）和经度（lon）")
register("compile.with_rule", en="with '{rule}'", zh="按“{rule}”")
register("compile.no_restricting_rule", en="no restricting rule", zh="没有限制性规则")
register("compile.too_many_candidates",
         en="{n_m} mentors x {n_e} mentees would give about {size} candidate pairs (with {by}; "
            "about {gib} GiB to compile), more than the {most} this machine can hold; add "
            "Nearest(k) (k nearest mentors per mentee), a SameRegion rule at a finer level, or a "
            "smaller MaxDistance",
         zh="{n_m}名导师 × {n_e}名帮带对象约有{size}个候选结对（{by}；编译约需{gib} GiB），"
            "超过本机可容纳的{most}个；请加上“最近k名”规则、更细一级的同区域规则，或缩小距离上限")
register("compile.dense",
         en="{n_m} mentors x {n_e} mentees = {pairs} possible pairs and no rule restricts them; "
            "add SameRegion, MaxDistance, SharesDomain or a restricting PairScore table",
         zh="{n_m}名导师 × {n_e}名帮带对象 = {pairs}个可能的结对，且没有规则加以限制；"
            "请加上同区域、距离上限、领域相同或限制性的结对评分表")
register("compile.scale", en="scale must be > 0, got {value!r}",
         zh="scale（缩放）必须大于0，现为 {value!r}")
register("compile.score_column", en="score column not found", zh="找不到评分列")
register("compile.score_number", en="score must be a finite number, got {value!r}",
         zh="评分必须是数字，现为“{value}”")
register("compile.pair_twice", en="pair listed twice", zh="同一对结对列了两次")
register_hint("compile.pair_twice", en="delete one of the two rows",
              zh="请删去其中一行")
register("compile.rank_column", en="rank column not found", zh="找不到志愿排名列")
register("compile.rank_number", en="rank must be a number >= 1, got {value!r}",
         zh="志愿排名必须是不小于1的数，现为“{value}”")
register("compile.min_load", en="min_load {low} exceeds capacity {high}",
         zh="最少带教人数 {low} 超过了带教人数上限 {high}")
register("compile.roles_short", en="needs {n} mentors but the role template has {roles} roles",
         zh="需要{n}名导师，但角色模板只有{roles}个角色")
register("compile.fixed_breaks",
         en="fixed pair ({m}, {e}) breaks the hard rule '{rule}'; remove the pair or the rule",
         zh="固定结对（{m}，{e}）违反硬性规则“{rule}”；请删去这一对或这条规则")
register("compile.fixed_over_capacity",
         en="more fixed pairs than the mentor's capacity {capacity}",
         zh="固定结对的数目超过了这名导师的带教人数上限 {capacity}")
register_hint("compile.fixed_over_capacity",
              en="raise the capacity or remove fixed pairs of this mentor",
              zh="请提高带教人数上限，或删去这名导师的部分固定结对")
register("compile.fixed_over_demand",
         en="more fixed pairs than the {n} mentor(s) this mentee needs",
         zh="固定结对的数目超过了这名帮带对象所需的{n}名导师")
register("compile.objective_too_large",
         en="objective too large for 64-bit integers: lower scale= or the score weights",
         zh="目标值超出64位整数范围：请降低 scale 或评分权重")

# ------------------------------------------------------------------------- checks before solving
register("check.idle", en="mentor {id} can never be offered a mentee: {why}",
         zh="导师{id}不可能分到任何帮带对象：{why}")
register("check.idle_fix",
         en="check the mentor's region and the rules, or leave the mentor out of this round",
         zh="请核对该导师的所在区域和规则，或本轮不安排该导师")
register("check.idle_region", en="{rule}: no mentee has {column} = {value!r}",
         zh="{rule}：没有{column}为“{value}”的帮带对象")
register("check.idle_rules", en="no mentee passes the hard rules with this mentor",
         zh="没有帮带对象能与其通过全部硬性规则")
register("check.idle_group", en="{ids} ({why})", zh="{ids}（{why}）")
register("check.idle_summary",
         en="{n} mentors can never be offered a mentee under the hard rules: {groups}",
         zh="有{n}名导师在硬性规则下不可能分到帮带对象：{groups}")
register("check.idle_summary_one",
         en="{n} mentor can never be offered a mentee under the hard rules: {groups}",
         zh="有{n}名导师在硬性规则下不可能分到帮带对象：{groups}")

# --------------------------------------------------------------------------------- command line
register("cli.help.description",
         en="Exact mentor–mentee pairing (导师帮带). See the README for the rules file.",
         zh="导师帮带精确结对。规则文件的写法见 README。")
register("cli.help.epilog",
         en="exit codes: 0 pairing found, 1 infeasible or out of time with no pairing, "
            "2 bad input, 3 not proven optimal under --require-optimal, 130 interrupted; "
            "the language: --lang zh or BANGHDAI_LANG=zh",
         zh="退出码：0 找到结对方案，1 无可行方案或超时未找到，2 输入有误，"
            "3 使用 --require-optimal 时结对方案未证明最优，130 被中断；"
            "语言：--lang en 或 BANGHDAI_LANG=en 为英文")
register("cli.help.version", en="show the version and exit", zh="显示版本号并退出")
register("cli.help.commands", en="commands", zh="命令")
register("cli.help.match", en="pair mentors and mentees from a roster",
         zh="按名单为导师和帮带对象结对")
register("cli.help.match_description",
         en="Pair mentors and mentees from a roster and print a summary; --lang zh prints "
            "everything in Chinese.",
         zh="按名单为导师和帮带对象结对并打印汇总；加 --lang zh 时全部用中文输出。")
register("cli.help.match_epilog",
         en="exit codes: 0 pairing found and written (a pairing not proven optimal within "
            "the time limit is written too; stderr gives each unproven level with its bound "
            "and gap), 1 infeasible or out of time with no pairing, 2 bad input, 3 not proven "
            "optimal under --require-optimal, 130 interrupted (Ctrl-C, at any moment). Only "
            "exit 0 writes: otherwise every existing output file is left as it was",
         zh="退出码：0 找到结对方案并已写出（时限内未证明最优的方案也写出，标准错误输出逐层给出"
            "界和差距），1 无可行方案或超时未找到，2 输入有误，3 使用 --require-optimal 时"
            "结对方案未证明最优，130 被中断（Ctrl-C，任何时刻）。只有退出码 0 会写出文件："
            "其他情况下原有输出文件保持不变")
register("cli.help.require_optimal",
         en="exit 3 and write nothing unless the pairing is proven optimal (default: a "
            "pairing not proven in time is written, exit 0, with its gap on stderr)",
         zh="结对方案未证明最优时以退出码 3 结束且不写出任何文件（默认：时限内未证明最优的"
            "方案照常写出，退出码 0，并在标准错误输出中给出差距）")
register("cli.require_optimal",
         en="--require-optimal: the pairing is not proven optimal; nothing was written "
            "(existing files left as they were): give more time (--time-limit)",
         zh="--require-optimal：结对方案未证明最优，没有写出任何文件（原有文件保持不变）："
            "请延长时间（--time-limit）")
register("cli.help.inputs",
         en="a roster folder, an .xlsx workbook, or mentors and mentees files; or sample:NAME "
            "for a shipped sample",
         zh="名单文件夹、.xlsx 工作簿，或导师表和帮带对象表两个文件；sample:名称 为自带示例")
register("cli.help.inputs_metavar", en="inputs", zh="名单")
register("cli.help.rules",
         en="rules TOML (default: rules.toml in the roster folder; for a workbook "
            "NAME.rules.toml or rules.toml beside it)",
         zh="规则文件（默认：名单文件夹中的 rules.toml；工作簿则为旁边的 名称.rules.toml 或 rules.toml）")
register("cli.help.out",
         en="write the result: .xlsx the printable workbook (pairs, summary by county, "
            "unmatched, details, rules); .pdf the same as an A4 PDF (the pdf extra); .csv the "
            "pairs, plus NAME_unmatched.csv and NAME_summary.csv beside it",
         zh="写出结果：.xlsx 为可打印的工作簿（结对名单、分县汇总、未匹配名单、配对明细、规则）；"
            ".pdf 为同样内容的 A4 PDF（需安装 pdf 附加组件）；"
            ".csv 为结对名单，旁边另写 名称_unmatched.csv 和 名称_summary.csv")
register("cli.help.papers",
         en="write the papers that follow the match (一人一册 growth files, mentor duty lists, "
            "the calendar) to a .xlsx and/or a .pdf; may be repeated",
         zh="写出结对之后的档案（一人一册成长档案、导师职责清单、工作日历）：.xlsx 和/或 .pdf；"
            "可重复给出")
register("cli.help.unmatched_out", en="write unmatched mentees and reasons to a .csv (or .xlsx)",
         zh="把未匹配的帮带对象及原因写到 .csv（或 .xlsx）")
register("cli.help.time_limit", en="seconds for the whole run's solve (default 60)",
         zh="整个求解的时间上限，秒（默认 60）")
register("cli.help.seed", en="solver seed (default 0)", zh="求解随机种子（默认 0）")
register("cli.help.workers", en="solver threads", zh="求解线程数")
register("cli.help.backend", en="auto (default) or a backend name",
         zh="求解方法：auto（默认）或具体名称")
register("cli.help.log", en="show the CP-SAT search log on stderr",
         zh="在标准错误输出中显示 CP-SAT 搜索日志")
register("cli.help.quiet", en="no progress bar and no progress lines on stderr",
         zh="不显示进度条和进度信息")
register("cli.help.lang",
         en="language of every message, the reasons and explanations (default en, or "
            "BANGHDAI_LANG) and of the workbook (default zh); [solve] lang in the rules sets both",
         zh="所有提示、原因和说明的语言（默认英文，或取 BANGHDAI_LANG），以及工作簿的语言"
            "（默认中文）；规则文件中的 [solve] lang 同时设定两者")
register("cli.help.samples", en="list the shipped samples", zh="列出自带的示例")

# argparse's own words, looked up by their English text
for _en, _zh in (
    ("usage: ", "用法："),
    ("positional arguments", "位置参数"),
    ("options", "选项"),
    ("optional arguments", "选项"),
    ("show this help message and exit", "显示本帮助并退出"),
    ("show program's version number and exit", "显示版本号并退出"),
    ("%(prog)s: error: %(message)s\n", "%(prog)s：错误：%(message)s\n"),
    ("the following arguments are required: %s", "缺少以下参数：%s"),
    ("unrecognized arguments: %s", "无法识别的参数：%s"),
    ("invalid choice: %(value)r (choose from %(choices)s)",
     "无效的选项：%(value)r（可选：%(choices)s）"),
    ("argument %(argument_name)s: %(message)s", "参数 %(argument_name)s：%(message)s"),
    ("expected one argument", "需要一个值"),
    ("expected at least one argument", "至少需要一个值"),
    ("invalid %(type)s value: %(value)r", "无效的 %(type)s 值：%(value)r"),
    ("ambiguous option: %(option)s could match %(matches)s",
     "选项不明确：%(option)s 可能是 %(matches)s"),
):
    register(f"argparse.{_en}", en=_en, zh=_zh)

register("cli.inputs", en="give one roster folder/workbook, or a mentors file and a mentees file",
         zh="请给出一个名单文件夹或工作簿，或者导师表和帮带对象表两个文件")
register("cli.out_suffix", en="--out must end in .csv, .xlsx or .pdf, got {out!r}",
         zh="--out 的文件名必须以 .csv、.xlsx 或 .pdf 结尾，现为“{out}”")
register("cli.papers_suffix", en="--papers must end in .xlsx or .pdf, got {papers!r}",
         zh="--papers 的文件名必须以 .xlsx 或 .pdf 结尾，现为“{papers}”")
register("report.needs_fpdf", en="writing PDF needs fpdf2: pip install 'banghdai[pdf]'",
         zh="写出 PDF 需要 fpdf2：请运行 pip install 'banghdai[pdf]'")
register("report.needs_cjk_font",
         en="writing PDF needs the Chinese font: pip install 'banghdai[pdf]'",
         zh="写出 PDF 需要中文字体：请运行 pip install 'banghdai[pdf]'")
register("report.no_font_file", en="no font file in {folder}; reinstall noto-cjk-sans-otc",
         zh="{folder} 中没有字体文件；请重新安装 noto-cjk-sans-otc")
register("report.pdf_nothing", en="nothing to write: ask for pairs=True or papers=True",
         zh="没有要写的内容：请设“pairs=True”或“papers=True”")
register("cli.out_in_roster",
         en="{path} would be read as the {stem} table of the roster next time; write the "
            "results somewhere else",
         zh="{path} 下次会被当作名单中的 {stem} 表读入；请把结果写到别处")
register("cli.time_limit", en="must be a positive number of seconds, got {value}",
         zh="必须是正的秒数，现为 {value}")
register("cli.workers", en="must be at least 1, got {value}", zh="至少为1，现为 {value}")
register("cli.no_rules", en="no rules file: pairing one-to-one with no rules",
         zh="没有规则文件：按一对一、无任何规则结对")
register("cli.warning", en="warning: ", zh="提醒：")
register("cli.input_error", en="input error: ", zh="输入有误：")
register("cli.nothing_written", en="nothing was written", zh="没有写出任何文件")
register("cli.kept", en="existing files left as they were", zh="原有文件保持不变")
register("cli.sep", en="; ", zh="；")
register("cli.paren", en=" ({text})", zh="（{text}）")
register("cli.interrupted", en="interrupted", zh="已中断")
register("cli.interrupted_writing", en="interrupted while writing; {rest}",
         zh="写出文件时被中断；{rest}")
register("cli.internal_error", en="internal error (a bug: please report it)",
         zh="内部错误（程序缺陷，请报告）")
register("cli.nothing_written_status", en="nothing was written (status {status}: {kept})",
         zh="没有写出任何文件（求解状态 {status}：{kept}）")
register("cli.only_written", en="only {done} was written; {rest} was not",
         zh="只写出了 {done}；{rest} 没有写出")
register("cli.cannot_write", en="cannot write the output: {text}", zh="无法写出结果：{text}")
register("cli.out_of_time",
         en="no pairing was found within the time limit: give more time (--time-limit)",
         zh="在时间限制内未找到结对方案：请延长时间（--time-limit）")
register("cli.cannot_explain",
         en="could not explain the conflict ({detail}); try bd.explain(problem) in Python",
         zh="无法说明冲突原因（{detail}）；可在 Python 中试用 bd.explain(problem)")
register("cli.explain_in_python",
         en="(bd.explain(problem, relax=True) in Python gives the same, with the relaxed pairing)",
         zh="（Python 中 bd.explain(problem, relax=True) 给出同样的说明和放宽后的结对）")

# the summary the command prints, key by key, and the status in words
for _key, _en, _zh in (
    ("status", "status", "求解状态"),
    ("pairs", "pairs", "结对数"),
    ("mentees_matched", "mentees_matched", "已匹配帮带对象"),
    ("mentees_unmatched", "mentees_unmatched", "未匹配帮带对象"),
    ("coverage", "coverage", "覆盖率"),
    ("mean_distance_km", "mean_distance_km", "平均距离（公里）"),
    ("mean_domain_fit", "mean_domain_fit", "平均领域匹配度"),
    ("objective", "objective", "目标值"),
    ("bound", "bound", "最优界"),
    ("gap", "gap", "相对间隙"),
    ("seconds", "seconds", "用时（秒）"),
    ("backend", "backend", "求解方法"),
    ("written", "written", "已写出"),
):
    register(f"cli.summary.{_key}", en=_en, zh=_zh)
for _status, _zh in (("OPTIMAL", "最优（OPTIMAL）"), ("FEASIBLE", "可行（FEASIBLE）"),
                     ("INFEASIBLE", "无可行方案（INFEASIBLE）"), ("UNKNOWN", "未知（UNKNOWN）")):
    register(f"cli.status.{_status}", en=_status, zh=_zh)
for _key, _en, _zh in (("file", "FILE", "文件"), ("seconds", "SECONDS", "秒数"),
                       ("number", "N", "数"), ("name", "NAME", "名称")):
    register(f"cli.help.metavar_{_key}", en=_en, zh=_zh)
register("cli.none", en="None", zh="无")
register("compile.stable_ranks",
         en="Stable needs Preferences with both mentee_rank and mentor_rank",
         zh="稳定结对需要志愿表同时含 mentee_rank（帮带对象志愿）和 mentor_rank（导师志愿）")
register("compile.quota_group", en="quota names group {name!r}, which no row has",
         zh="名额规则写的组“{name}”在表中没有")
register("compile.load_column", en="load column not found", zh="找不到负担列")
register("compile.no_load", en="no load given for candidate pair ({m}, {e})",
         zh="候选结对（{m}，{e}）没有给出负担值")
register("compile.loads_whole", en="loads must be whole numbers >= 0",
         zh="负担值必须是不小于0的整数")

# ------------------------------------------------------------------------------------- solving
register("solve.backend_cannot", en="backend {name!r} cannot solve this problem exactly",
         zh="求解方法“{name}”不能精确求解这个问题")
register_hint("solve.backend_cannot", en="use --backend auto, or one of the valid choices",
              zh="请用 --backend auto，或下列可选方法之一")
register("solve.unknown_backend", en="unknown backend {name!r}", zh="无法识别的求解方法“{name}”")
register("solve.time_limit", en="time_limit must be > 0 seconds, got {value!r}",
         zh="时间上限必须大于0秒，现为 {value!r}")
register("solve.workers", en="workers must be a positive integer, got {value!r}",
         zh="线程数必须是正整数，现为 {value!r}")
register("solve.cannot_split", en="cannot split: {rule} ties the regions together",
         zh="无法分区求解：{rule} 把各区域联系在一起")
register("read.unknown_sample", en="unknown sample {name!r}", zh="没有名为“{name}”的示例")

# ------------------------------------------------------------------------------------ workbook
register("book.idle_title", en="Mentors who can never be offered a mentee ({n})",
         zh="不可能分到帮带对象的导师（{n}名）")
register("book.idle_mentor_id", en="Mentor id", zh="导师编号")
register("book.idle_row", en="Row in the roster", zh="名单中的行号")
register("book.idle_reason", en="Why", zh="原因")

# rules named by their class in messages (a rule's own label is used where there is one)
for _name, _zh in (
    ("SameRegion", "同区域"), ("AvoidSame", "避开同一单位"), ("MaxDistance", "距离上限"),
    ("Nearest", "最近k名"), ("SharesDomain", "领域相同"), ("Stronger", "评分高于对象"),
    ("ForbiddenPairs", "禁止结对"), ("Preferences", "志愿"), ("AllowedTypes", "类型限定"),
    ("FixedPairs", "固定结对"), ("DomainFit", "领域匹配度"), ("Closeness", "就近程度"),
    ("StrongToWeak", "强带弱"), ("PairScore", "结对评分"), ("PreferenceFit", "志愿匹配度"),
    ("DistinctTypes", "类型各不相同"), ("RoleTemplate", "角色模板"), ("Quota", "名额"),
    ("Load", "负担"), ("Stable", "稳定结对"), ("Coverage", "覆盖优先"), ("MaxMin", "最差者最优"),
    ("BalanceLoad", "均衡负担"), ("Coverage priority", "覆盖优先级"), ("objective km", "目标距离"),
    ("require_each", "每组必须"), ("teams by region", "按区域组队"), ("cover_needs", "覆盖需求"),
    ("n_teams", "小组数"),
):
    register(f"word.{_name}", en=_name, zh=_zh)
register("solve.stable_params", en="the stable backend takes no solver parameters",
         zh="稳定结对求解方法（stable）不接受求解参数")
register("solve.stable_alone",
         en="the stable backend solves Stable alone (no other group rule, minimum load or "
            "fixed pair); use backend='cpsat'",
         zh="稳定结对求解方法（stable）只能单独求解稳定结对（不能有其他分组规则、最少带教人数或固定结对）；"
            "请改用 --backend cpsat")
register("compile.big_scores_objective",
         en="integer scores above 2**53 are summed exactly but lose precision in the reported "
            "float objective; divide the scores to keep them below 2**53",
         zh="大于 2**53 的整数评分会精确求和，但报告的目标值（浮点数）会损失精度；请把评分缩小到 2**53 以下")
register("compile.big_scores_scaled",
         en="integer scores above 2**53 lose precision when scaled by {scale}; divide the "
            "scores to keep them below 2**53",
         zh="大于 2**53 的整数评分按 {scale} 缩放时会损失精度；请把评分缩小到 2**53 以下")
register("compile.rounded",
         en="scores rounded to integers with scale {scale} lose precision (largest rounding "
            "error {error} of the scores' spread); pass a larger scale= to keep more digits",
         zh="评分按 {scale} 取整后损失了精度（最大取整误差为评分跨度的 {error}）；请增大 scale 以保留更多位数")
register("compile.penalty_rounded",
         en="unmatched_penalty {penalty} rounded to {rounded} at scale {scale}; pass a larger "
            "scale= to keep it exact",
         zh="未匹配惩罚 {penalty} 按 {scale} 缩放后取整为 {rounded}；请增大 scale 以保持精确")

# ------------------------------------------------------------------- progress lines (stderr)
register("progress.levels", en="levels", zh="目标层级")
register("progress.level_bound", en="{name}: {status} {value} (reaches the network bound)",
         zh="{name}：{status}，值 {value}（已达网络松弛上界）")
register("progress.components", en="components", zh="分区")
register("progress.level_value", en="{name}: {status} {value} in {seconds} s",
         zh="{name}：{status}，值 {value}，用时 {seconds} 秒")
register("progress.level_done", en="{name}: {status} in {seconds} s",
         zh="{name}：{status}，用时 {seconds} 秒")
register("progress.component", en="component {k} ({pairs} pairs): {status} in {seconds} s",
         zh="第{k}区（{pairs}个候选结对）：{status}，用时 {seconds} 秒")
register("progress.component_unsolved", en="component {k}: not solved", zh="第{k}区：未求解")
register("cli.status.NOT_SOLVED", en="NOT_SOLVED", zh="未求解（NOT_SOLVED）")
register("cli.status.OPTIMAL_GIVEN", en="OPTIMAL_GIVEN",
         zh="在前面层级取值下最优（OPTIMAL_GIVEN）")
for _key, _en, _zh in (("levels", "levels", "各层级状态"), ("outcome", "outcome", "未证明之处"),
                       ("interrupted", "interrupted", "已中断")):
    register(f"cli.summary.{_key}", en=_en, zh=_zh)
register("solve.flow_params",
         en="the flow backend takes no solver parameters, got {got}; pass backend='cpsat' to "
            "tune CP-SAT",
         zh="流算法求解方法（flow）不接受求解参数，收到 {got}；如需调整 CP-SAT 参数请用 --backend cpsat")
register("solve.cpsat_param", en="unknown CP-SAT parameter {key!r}",
         zh="无法识别的 CP-SAT 参数“{key}”")

# ---------------------------------------------------------------- explanations, checks, rematch
register("explain.unknown_relaxation", en="unknown relaxation {key!r}",
         zh="无法识别的放宽方式“{key}”")
register("explain.relaxation_cost",
         en="relaxation cost must be a number >= 0 or None, got {value!r}",
         zh="放宽代价必须是不小于0的数或 None，现为 {value!r}")
register("validate.blocking_ranks",
         en="blocking pairs need Preferences with mentee_rank and mentor_rank",
         zh="检查阻塞对需要志愿表同时含 mentee_rank（帮带对象志愿）和 mentor_rank（导师志愿）")
register("rematch.weight", en="weight must be a number >= 0 or None, got {value!r}",
         zh="权重（weight）必须是不小于0的数或 None，现为 {value!r}")
register("rematch.scenario", en="drop_mentors must be in [0, 1) and add_mentees >= 0",
         zh="drop_mentors（减少导师比例）必须在 0 到 1 之间（不含1），add_mentees（新增帮带对象）不小于0")
register("report.needs_openpyxl",
         en="writing Excel needs openpyxl: pip install 'banghdai[excel]'",
         zh="写出 Excel 需要安装 openpyxl：pip install 'banghdai[excel]'")

# --------------------------------------------------------------------------------- small teams
register("teams.range", en="{what} must be an int or a (lo, hi) pair of ints, got {value!r}",
         zh="{what} 必须是整数或 (下限, 上限) 两个整数，现为 {value!r}")
register("teams.range_order", en="{what} needs 1 <= lo <= hi, got ({lo}, {hi})",
         zh="{what} 需要 1 ≤ 下限 ≤ 上限，现为 ({lo}, {hi})")
register("teams.count_range",
         en="{what} must be an int >= 0 or a (lo, hi) pair with 0 <= lo <= hi, got {value!r}",
         zh="{what} 必须是不小于0的整数，或满足 0 ≤ 下限 ≤ 上限 的 (下限, 上限)，现为 {value!r}")
register("teams.require_each",
         en="require_each must map a mentor column to the values every team needs, e.g. "
            "{{'type': ['专家型', '经验型', '群众型']}}",
         zh="require_each（每组必须）应为“导师列 → 每组都需要的取值”，例如 "
            "{{'type': ['专家型', '经验型', '群众型']}}")
register("teams.require_each_values",
         en="require_each[{column!r}] must be a list of values or a {{value: count}} mapping",
         zh="require_each 中“{column}”必须是取值的列表，或“取值 → 人数”的对应表")
register("teams.require_each_count",
         en="require_each[{column!r}][{value!r}] must be a whole number >= 1, got {count!r}",
         zh="require_each 中“{column}”的“{value}”必须是不小于1的整数，现为 {count!r}")
register("teams.require_each_absent", en="require_each value {value!r} never occurs in the column",
         zh="require_each 的取值“{value}”在该列中一次也没有出现")
register("teams.objective",
         en="objective must map terms to weights, e.g. {{'shared': 1, 'km': 0.1}}",
         zh="objective（目标）应为“目标项 → 权重”，例如 {{'shared': 1, 'km': 0.1}}")
register("teams.objective_term", en="unknown objective term {term!r}",
         zh="无法识别的目标项“{term}”")
register("teams.objective_weight",
         en="objective weight of {term!r} must be a number >= 0, got {weight!r}",
         zh="目标项“{term}”的权重必须是不小于0的数，现为 {weight!r}")
register("teams.needs_domains",
         en="objective terms 'shared' and 'covered' need a 'domains' column in both tables",
         zh="目标项 shared 和 covered 需要两张表都有 domains（领域）列")
register("teams.needs_coords", en="objective term 'km' needs 'lat' and 'lon' in both tables",
         zh="目标项 km 需要两张表都有 lat 和 lon（坐标）列")
register("teams.region", en="region must be a column name or None, got {value!r}",
         zh="region（区域）必须是列名或 None，现为 {value!r}")
register("teams.mentor_teams", en="mentor_teams must be an int >= 1 or a column, got {value!r}",
         zh="mentor_teams（导师所在小组数）必须是不小于1的整数或列名，现为 {value!r}")
register("teams.n_teams_no_region",
         en="with region=None, n_teams must be None, an int or a (lo, hi) pair",
         zh="region 为 None 时，n_teams（小组数）必须是 None、整数或 (下限, 上限)")
register("teams.n_teams_region", en="n_teams names region {key!r}, which no mentee is in",
         zh="n_teams（小组数）写的区域“{key}”中没有帮带对象")
register("teams.n_teams_differs", en="n_teams column differs within region {region!r}",
         zh="同一区域“{region}”内 n_teams（小组数）列的值不一致")
register("teams.n_teams_whole", en="n_teams must be a whole number >= 0, got {value}",
         zh="n_teams（小组数）必须是不小于0的整数，现为 {value}")
register("teams.n_teams",
         en="n_teams must be None, an int, (lo, hi), a mapping or a column, got {value!r}",
         zh="n_teams（小组数）必须是 None、整数、(下限, 上限)、对应表或列名，现为 {value!r}")
register("teams.time_limit", en="time_limit must be a number > 0 or None, got {value!r}",
         zh="time_limit（时间上限）必须是大于0的数或 None，现为 {value!r}")

# ------------------------------------------------- arrays of the deferred-acceptance functions
register("arrays.one_dim", en="must be one-dimensional, got shape {shape}",
         zh="必须是一维数组，现为形状 {shape}")
register("arrays.int_dtype", en="must hold integers, got dtype {dtype}",
         zh="必须是整数，现为类型 {dtype}")
register("arrays.int_value", en="must hold integers, got {value!r}", zh="必须是整数，现为 {value!r}")
register("arrays.length", en="must have length {size}, got {got}",
         zh="长度必须是 {size}，现为 {got}")
register("arrays.per_pair", en="must be a 1-D array of length {size} (one per pair)",
         zh="必须是长度为 {size} 的一维数组（每个候选结对一个）")
register("arrays.number_dtype", en="must hold numbers, got dtype {dtype}",
         zh="必须是数字，现为类型 {dtype}")
register("arrays.nan", en="must not be NaN", zh="不能为空值（NaN）")
register("arrays.index", en="index {value} out of range 0..{last}",
         zh="序号 {value} 超出范围 0..{last}")
register("arrays.nonnegative", en="must be >= 0, got {value}", zh="必须不小于0，现为 {value}")
register("arrays.pair_lengths", en="pair_mentee and pair_mentor differ in length ({a} vs {b})",
         zh="pair_mentee 与 pair_mentor 长度不同（{a} 对 {b}）")
register("arrays.pair_twice", en="pair (mentee {e}, mentor {m}) listed twice",
         zh="结对（帮带对象 {e}，导师 {m}）列了两次")
register("arrays.group_pair", en="group and group_capacity go together",
         zh="group 与 group_capacity 必须同时给出")
register("arrays.group_range", en="group {value} out of range 0..{last}",
         zh="组 {value} 超出范围 0..{last}")
register("arrays.group_ranks",
         en="mentee {e} has different mentor_rank at two mentors of group {group}; a group "
            "ranks each mentee once",
         zh="帮带对象 {e} 在组 {group} 的两名导师处的 mentor_rank 不同；一个组对每名帮带对象只排一次")
register("arrays.mask_length", en="a boolean mask must have length {n}",
         zh="布尔掩码的长度必须是 {n}")
register("arrays.spa_proposer", en="groups (SPA-S) are supported with mentee proposing only",
         zh="分组（SPA-S）只支持由帮带对象发起申请")
register("arrays.spa_demand", en="groups (SPA-S) need demand <= 1",
         zh="分组（SPA-S）要求每名帮带对象的需求不超过1")

# ------------------------------------------------------------ more hints for frequent errors
for _code, _en, _zh in (
    ("compile.score_number", "write a number in this cell", "请在这个单元格中填写数字"),
    ("compile.rank_number", "write the rank as 1, 2, 3 …, or leave the cell empty",
     "请把志愿排名写成 1、2、3……，或让这个单元格留空"),
    ("compile.min_load", "lower the minimum or raise the capacity of this mentor",
     "请降低这名导师的最少带教人数，或提高其带教人数上限"),
    ("compile.fixed_over_demand", "remove fixed pairs of this mentee or raise its number of "
     "mentors", "请删去这名帮带对象的部分固定结对，或增加其所需导师人数"),
    ("read.no_sheet", "check the sheet name against the valid choices",
     "请对照下列工作表名称检查拼写"),
    ("rules.must_be", "see the rules file section of the README for this option",
     "这一项的写法见 README 中“规则文件”一节"),
    ("rules.needs", "add the option to this entry of the rules file",
     "请在规则文件的这一条中补上这一项"),
    ("input.unknown_side", "write mentors or mentees", "请写 mentors 或 mentees"),
    ("compile.score_column", "name one of the valid choices as the score column",
     "请把下列已有的某一列作为评分列"),
    ("compile.rank_column", "name one of the valid choices as the rank column",
     "请把下列已有的某一列作为志愿排名列"),
    ("compile.coordinates_everywhere", "fill in lat and lon on this row",
     "请在这一行填写纬度（lat）和经度（lon）"),
):
    if f"{_code}.hint" not in CATALOGUE:
        register_hint(_code, en=_en, zh=_zh)

# ------------------------------------------------------- explain: conflicts in planner words
for _code, _en, _zh in (
    ("conflict.everywhere", "all", "全部"),
    ("conflict.capacity", "capacity of {where} mentors ({cap})", "{where}导师的帮带容量（{cap}）"),
    ("conflict.capacity_fix", "add mentors or raise capacities in {where}",
     "在{where}增加导师或提高帮带上限"),
    ("conflict.mentor_cap", "capacity of mentor {name} ({cap})", "导师{name}的帮带上限（{cap}）"),
    ("conflict.mentor_cap_fix", "raise the capacity of mentor {name}", "提高导师{name}的帮带上限"),
    ("conflict.must", "mentees that must be matched in {where} ({need} mentor places)",
     "{where}必须结对的帮带对象（需{need}个导师名额）"),
    ("conflict.must_fix", "allow some mentees in {where} to stay unmatched ({setting})",
     "允许{where}部分帮带对象暂不结对（{setting}）"),
    ("conflict.at_most", "each mentee in {where} gets at most its number of mentors",
     "{where}帮带对象的导师人数上限"),
    ("conflict.at_most_fix", "raise the number of mentors these mentees take",
     "提高这些帮带对象的导师人数"),
    ("conflict.none_after", ": none left after rule {rule}", "：经{rule}规则筛选后无人符合"),
    ("conflict.mentee_must", "mentee {who} must get {need} mentor(s) and has {deg} candidate(s)"
     "{after}", "帮带对象{who}须配{need}名导师，有{deg}名候选导师{after}"),
    ("conflict.mentee_most", "mentee {who} gets at most {need} mentor(s) and has {deg} "
     "candidate(s){after}", "帮带对象{who}最多配{need}名导师，有{deg}名候选导师{after}"),
    ("conflict.mentee_rule_fix", "loosen rule {rule} for this mentee or add a suitable mentor",
     "放宽{rule}规则或增加合适的导师"),
    ("conflict.mentee_fix", "add a suitable mentor or let this mentee stay unmatched",
     "增加合适的导师或允许其暂不结对"),
    ("conflict.mentor", "mentor {name} must take at least {lo} mentee(s) and has {deg} "
     "candidate(s)", "导师{name}至少要带{lo}名对象，有{deg}名候选对象"),
    ("conflict.mentor_fix", "lower the min_load of mentor {name}", "降低导师{name}的最少帮带人数"),
    ("conflict.min_load", "minimum loads of {where} mentors ({lo})",
     "{where}导师的最少帮带人数（{lo}）"),
    ("conflict.min_load_fix", "lower min_load of mentors in {where}",
     "降低{where}导师的最少帮带人数"),
    ("conflict.fixed", "fixed pair {pair}", "固定结对{pair}"),
    ("conflict.fixed_fix", "remove the pair from the fixed table", "从固定结对表中删除该结对"),
    ("conflict.rule", "rule {rule}", "规则{rule}"),
    ("conflict.rule_fix", "loosen rule {rule} or remove the fixed pairs that break it",
     "放宽{rule}规则，或删除违反它的固定结对"),
    ("conflict.labelled", "{label}: {text}", "{label}：{text}"),
    ("conflict.soften", "soften {label}", "放宽{label}"),
    ("conflict.short", "capacity of {where} mentors ({cap}) < mentor places that mentees who "
     "must be matched there need ({need})",
     "{where}导师的帮带容量（{cap}）< 当地必须结对的帮带对象所需导师名额（{need}）"),
    ("conflict.hall", "the {cap} places of {where} mentors cannot serve every mentee that must "
     "be matched there ({need} places needed): some mentees share too few candidate mentors",
     "{where}导师的{cap}个名额无法覆盖当地所有必须结对的帮带对象（需{need}个）："
     "部分对象的候选导师过少"),
    ("conflict.fixed_breaks", "fixed pair {pair} breaks rule {rule}{detail}",
     "固定结对{pair}违反规则{rule}{detail}"),
    ("conflict.together", "these rules cannot all hold: {parts}", "以下规则无法同时满足：{parts}"),
    ("conflict.sep", "; ", "；"),
    ("conflict.feasible", "feasible: every hard rule can hold", "可行：所有硬性规则可同时满足"),
    ("conflict.unknown", "unknown: time ran out", "未知：时间不足"),
    ("conflict.infeasible_minimal", "infeasible: {n} minimal set(s) of conflicting rules",
     "不可行：{n}组最小冲突规则"),
    ("conflict.infeasible", "infeasible: {n} set(s) of conflicting rules (not shrunk to minimal)",
     "不可行：{n}组冲突规则（未缩减到最小）"),
    ("conflict.cheapest", "cheapest relaxation:", "代价最小的放宽方案："),
):
    register(_code, en=_en, zh=_zh)

# ------------------------------------------------------- explain: relaxations and pair reasons
for _code, _en, _zh in (
    ("relax.capacity", "raise the capacity of mentor {name} from {old} to {new}",
     "导师{name}的帮带上限由{old}提高到{new}"),
    ("relax.min_load", "lower the minimum load of mentor {name} from {old} to {new}",
     "导师{name}的最少帮带人数由{old}降到{new}"),
    ("relax.unmatched", "let mentee {name} go without {n} of its {need} mentor(s)",
     "允许帮带对象{name}少配{n}名导师（原需{need}名）"),
    ("relax.breaks", ": it breaks rule {names}", "：违反规则{names}"),
    ("relax.drop_fixed", "drop fixed pair {pair}{why}", "取消固定结对{pair}{why}"),
    ("relax.drop_group_for", "do not enforce {label} for {what}", "{what}不执行{label}"),
    ("relax.drop_group", "do not enforce {label}", "不执行{label}"),
    ("relax.lower_min", "lower the {label} minimum for {what} from {old} to {new}",
     "{what}的{label}下限由{old}降到{new}"),
    ("relax.raise_max", "raise the {label} maximum for {what} from {old} to {new}",
     "{what}的{label}上限由{old}提高到{new}"),
    ("why.not_candidate", "not a candidate pair under the rules", "不符合规则，不是候选结对"),
    ("why.term", "{name} {value:.2f} ({points:+.2f})", "{name}{value:.2f}（{points:+.2f}）"),
    ("why.km", "{km:.1f} km", "{km:.1f}公里"),
    ("why.gap", "{name} gap {gap:+g}", "{name}差{gap:+g}"),
    ("why.list", ", ", "，"),
    ("why.rank", "rank {rank} of {n} candidates", "在{n}名候选导师中排第{rank}"),
    ("why.alternative", "best free alternative {name} would change the objective by "
     "{change:+.4g}", "最佳可用替代导师{name}，目标值变化{change:+.4g}"),
    ("why.no_alternative", "no free alternative mentor", "无可用替代导师"),
    ("why.sep", "; ", "；"),
):
    register(_code, en=_en, zh=_zh)
register("explain.quoted", en="'{name}'", zh="“{name}”")
register("explain.no_value", en="(no {column})", zh="（无{column}）")

# ----------------------------------------- explain: why a mentee is unmatched (vector templates)
for _code, _en, _zh in (
    ("unmatched.none", "no candidate mentor: none left after rule {rule}",
     "没有候选导师：经{rule}规则筛选后无人符合"),
    ("unmatched.none_rules", "no candidate mentor: none left after the rules",
     "没有候选导师：经规则筛选后无人符合"),
    ("unmatched.paired", "only {c} candidate mentor(s), all already paired with it",
     "仅有{c}名候选导师，均已与其结对"),
    ("unmatched.full", "all {c} candidate mentors are at capacity", "{c}名候选导师均已满额"),
    ("unmatched.traded", "left unmatched: its candidates serve others for a better total",
     "未结对：其候选导师用于其他对象，总体更优"),
    ("unmatched.full_with", "{mentor} full {load}/{cap} with {mentees}",
     "{mentor} 已满{load}/{cap}（{mentees}）"),
    ("unmatched.full_none", "{mentor} full {load}/{cap}", "{mentor} 已满{load}/{cap}"),
    ("unmatched.more", "and {n} more", "等另{n}名"),
    ("unmatched.sep", "; ", "；"),
    ("unmatched.list", ", ", "、"),
    ("unmatched.funnel_head", "{n} mentors", "导师{n}名"),
    ("unmatched.funnel_stage", " → {label} {n}", " → {label}{n}"),
):
    register(_code, en=_en, zh=_zh)

# ---------------------------------------- precheck: bd.check's sentences
for _code, _en, _zh in (
    ("all", "all mentees",
     "全部帮带对象"),
    ("cat", "category {v}",
     "类别“{v}”"),
    ("capacity", "mentors who can take {s} have {cap} place(s) for them, but those mentees need {need} (short by {short})",
     "能带{s}的导师只有{cap}个名额，而这些对象需要{need}个（缺{short}个）"),
    ("capacity_fix", "add mentors or raise capacities for {s}, or loosen the rules that limit their candidates",
     "为{s}增加导师或提高帮带上限，或放宽限制其候选导师的规则"),
    ("none", "mentee {id} has no candidate mentor: none left after rule {rule} ({funnel})",
     "帮带对象{id}没有候选导师：经{rule}规则筛选后无人符合（{funnel}）"),
    ("none_fix_region", "add a mentor in {v} or drop rule {rule}",
     "在{v}增加导师，或取消{rule}规则"),
    ("none_fix", "loosen rule {rule} or add a suitable mentor",
     "放宽{rule}规则或增加合适的导师"),
    ("few", "mentee {id} needs {need} mentor(s) but has only {deg} candidate(s) ({funnel})",
     "帮带对象{id}需要{need}名导师，但只有{deg}名候选导师（{funnel}）"),
    ("few_fix", "lower its number of mentors or loosen the rules that limit its candidates",
     "减少其所需导师人数，或放宽限制其候选导师的规则"),
    ("fixed", "fixed pair ({m}, {e}) breaks the hard rule {rule}{detail}",
     "固定结对（{m}，{e}）违反硬性规则{rule}{detail}"),
    ("fixed_fix", "remove the pair from the fixed table or drop rule {rule}",
     "从固定结对表中删除该结对，或取消{rule}规则"),
    ("fixed_cap", "mentor {m} has fixed pairs using {n} of its capacity {cap}",
     "导师{m}的固定结对占用{n}个名额，超过帮带上限{cap}"),
    ("fixed_cap_fix", "raise the mentor's capacity or remove some of its fixed pairs",
     "提高该导师的帮带上限，或删除其部分固定结对"),
    ("fixed_need", "mentee {e} has {n} fixed pairs but needs only {need} mentor(s)",
     "帮带对象{e}有{n}个固定结对，但只需{need}名导师"),
    ("fixed_need_fix", "remove {k} fixed pair(s) or raise its number of mentors",
     "删除{k}个固定结对，或增加其所需导师人数"),
    ("minload", "mentor {m} must take at least {lo} mentee(s) but has {deg} candidate(s)",
     "导师{m}至少要带{lo}名对象，但只有{deg}名候选对象"),
    ("minload_fix", "lower its min_load to {deg} or loosen the rules that limit its candidates",
     "将其最少帮带人数降到{deg}，或放宽限制其候选对象的规则"),
    ("minload_region", "minimum loads of {s} mentors add up to {lo}, but the mentees they can take need only {need} place(s)",
     "{s}导师的最少帮带人数合计{lo}，但其可带对象只需要{need}个名额"),
    ("minload_region_fix", "lower min_load of mentors in {s}",
     "降低{s}导师的最少帮带人数"),
    ("types", "mentee {id} needs {need} mentors of different {col} but its candidates have only {n} ({values})",
     "帮带对象{id}需要{need}名不同{col}的导师，但其候选导师只有{n}种（{values}）"),
    ("types_fix", "add a mentor of another {col} within its reach, or lower its number of mentors",
     "在其可及范围内增加其他{col}的导师，或减少其所需导师人数"),
    ("quota_lo", "{label} for {name}: at least {lo} {what} required, at most {most} possible",
     "{label}：{name}至少需要{lo}个{what}，最多只能有{most}个"),
    ("quota_lo_fix", "lower the quota minimum for {name} to {most}, or add suitable {side}s",
     "将{name}的配额下限降到{most}，或增加合适的人选"),
    ("quota_hi", "{label} for {name}: at most {hi} {what} allowed, at least {least} forced",
     "{label}：{name}最多允许{hi}个{what}，但至少会有{least}个"),
    ("quota_hi_fix", "raise the quota maximum for {name} to {least}",
     "将{name}的配额上限提高到{least}"),
    ("km", " ({km:.1f} km)",
     "（{km:.1f}公里）"),
):
    register(f"precheck.{_code}", en=_en, zh=_zh)

# ---------------------------------------- rematch.reason: why a pair was kept, broken or made anew
for _code, _en, _zh in (
    ("kept", "kept",
     "保留"),
    ("mentor_left", "mentor {m} left",
     "导师{m}已退出"),
    ("mentee_left", "mentee {e} left",
     "帮带对象{e}已退出"),
    ("both_left", "mentor {m} and mentee {e} both left",
     "导师{m}和帮带对象{e}均已退出"),
    ("rule", "rule {rule} now forbids the pair",
     "规则{rule}现不允许该结对"),
    ("capacity", "mentor {m}'s capacity is now {cap} but it had {n} such pairs",
     "导师{m}的帮带上限现为{cap}，原有{n}个此类结对"),
    ("demand", "mentee {e} now needs {k} mentor(s) but had {n}",
     "帮带对象{e}现需{k}名导师，原有{n}名"),
    ("fixed", "a fixed pair (组织统筹) now takes the place",
     "组织统筹的固定结对占用了名额"),
    ("coverage", "traded for coverage: keeping it would leave more mentor places unfilled",
     "为提高覆盖率而调整：保留该结对会使更多导师名额空缺"),
    ("min_load", "traded for coverage or another mentor's minimum load",
     "为提高覆盖率或满足其他导师的最少帮带人数而调整"),
    ("group", "traded for coverage or to satisfy a group rule",
     "为提高覆盖率或满足组合规则而调整"),
    ("score", "traded for a better total (coverage or score) at the given weight",
     "按给定权重，为更好的总体结果（覆盖率或得分）而调整"),
    ("no_solution", "no pairing was found ({status})",
     "未找到结对方案（{status}）"),
    ("new_mentee", "mentee {e} had no mentor last time (new or unmatched)",
     "帮带对象{e}上次没有导师（新增或未结对）"),
    ("replaces", "replaces the broken pair with {m} ({why})",
     "接替已解除的与{m}的结对（{why}）"),
    ("extra", "an extra mentor for mentee {e}",
     "为帮带对象{e}增配一名导师"),
):
    register(f"rematch.reason.{_code}", en=_en, zh=_zh)
for _code, _en, _zh in (
    ("precheck.list", ", ", "、"),
    ("precheck.etc", ", …", "……"),
    ("precheck.sep", "; ", "；"),
    ("precheck.count_pairs", "pairs", "结对"),
    ("precheck.count_mentees", "served mentees", "满额对象"),
    ("precheck.count_mentors", "used mentors", "在用导师"),
    ("precheck.versus", " ({a} vs {b})", "（{a}对{b}）"),
):
    register(_code, en=_en, zh=_zh)

# ----------------------------------------------------------------- separators and headings
for _code, _en, _zh in (
    ("rule.principled", "{principle}: {label}", "{principle}：{label}"),
    ("list.sep", ", ", "、"),
    ("read.items_sep", "; ", "，"),
    ("read.report_head", "banghdai: read report", "banghdai: 读表报告"),
):
    register(_code, en=_en, zh=_zh)
