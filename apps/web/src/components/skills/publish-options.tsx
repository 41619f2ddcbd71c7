import { skillCategories, skillCategoryLabels, skillVisibilities } from '@everyskill/contracts/skill-choices';

const visibilityLabels = { tenant: 'Everyone in the company', private: 'Only me', public: 'Public' } as const;
const field = 'flex flex-col gap-1 text-sm font-medium';
const control = 'h-9 rounded-md border bg-background px-2 text-sm font-normal';

/**
 * The choices that go with a publish. Category and tags are controlled by the editor (filled from
 * the frontmatter); in the upload form they stay empty to mean "as SKILL.md says".
 */
export function PublishOptions({
  category,
  onCategory,
  tags,
  onTags,
  newVersion,
}: {
  category?: string;
  onCategory?: (value: string) => void;
  tags?: string;
  onTags?: (value: string) => void;
  newVersion: boolean;
}) {
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      {newVersion ? null : (
        <label className={field}>
          Visibility
          <select name="visibility" defaultValue="tenant" className={control}>
            {skillVisibilities.map((v) => (
              <option key={v} value={v}>
                {visibilityLabels[v]}
              </option>
            ))}
          </select>
        </label>
      )}
      <label className={field}>
        Category
        <select
          name="category"
          className={control}
          {...(onCategory ? { value: category ?? '', onChange: (e) => onCategory(e.target.value) } : { defaultValue: '' })}
        >
          <option value="">{onCategory ? 'Choose…' : 'As SKILL.md says (metadata.category)'}</option>
          {skillCategories.map((c) => (
            <option key={c} value={c}>
              {skillCategoryLabels[c]}
            </option>
          ))}
        </select>
      </label>
      <label className={field}>
        Tags
        <input
          name="tags"
          placeholder={onTags ? 'pdf, forms' : 'as SKILL.md says (metadata.tags)'}
          className={`${control} px-3`}
          {...(onTags ? { value: tags ?? '', onChange: (e: React.ChangeEvent<HTMLInputElement>) => onTags(e.target.value) } : {})}
        />
      </label>
      <label className={`${field} sm:col-span-2`}>
        {newVersion ? 'What changed in this version' : 'Release notes (optional)'}
        <textarea name="notes" rows={2} maxLength={2000} className="rounded-md border bg-background p-2 text-sm font-normal" />
      </label>
    </div>
  );
}
