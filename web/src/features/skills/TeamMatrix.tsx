import { Table, Text, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TLearningStage, TTeamSkills } from '../../api/practice.ts';
import { StageMeter } from './StageBadge.tsx';
import { STAGE_COLORS } from './stages.ts';

export interface MatrixCell {
  userId: string;
  repName: string;
  skillId: string;
  skillName: string;
  stage: TLearningStage;
}

/** Strips "应对「…」" / "Answering "…"" so matrix headers stay short; the full name is in each cell's label. */
export function shortSkillName(name: string): string {
  const zh = /^应对「(.+)」$/.exec(name);
  if (zh?.[1]) return zh[1];
  const en = /^Answering "(.+)"$/.exec(name);
  return en?.[1] ?? name;
}

/**
 * Reps × skills: each cell shows the stage number and a four-step meter on its stage colour (never colour
 * alone), and is a button that opens the manager's assessment for that rep and skill.
 */
export function TeamMatrix({ data, onAssess }: { data: TTeamSkills; onAssess: (cell: MatrixCell) => void }) {
  const { t } = useTranslation();
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus so keyboards can scroll it
    <section className="matrix-scroll" aria-labelledby="matrix-heading" tabIndex={0}>
      <Table className="skill-matrix" data-testid="skill-matrix" withRowBorders={false}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" className="matrix-rep">
              {t('skills.team.rep')}
            </Table.Th>
            {data.skills.map((skill) => (
              <Table.Th
                key={skill.id}
                scope="col"
                className="matrix-skill"
                title={skill.description ? `${skill.name}: ${skill.description}` : skill.name}
              >
                {shortSkillName(skill.name)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.members.map((member) => (
            <Table.Tr key={member.userId}>
              <Table.Th scope="row" className="matrix-rep">
                {member.name}
              </Table.Th>
              {data.skills.map((skill) => {
                const stage = (member.stages.find((s) => s.skillId === skill.id)?.stage ??
                  1) as TLearningStage;
                const stageName = t(`skills.stages.${stage}.name`);
                return (
                  <Table.Td key={skill.id} className="matrix-cell">
                    <UnstyledButton
                      className="matrix-button"
                      data-stage={stage}
                      data-color={STAGE_COLORS[stage]}
                      aria-label={t('skills.team.cellLabel', {
                        rep: member.name,
                        skill: skill.name,
                        stage,
                        name: stageName,
                      })}
                      onClick={() =>
                        onAssess({
                          userId: member.userId,
                          repName: member.name,
                          skillId: skill.id,
                          skillName: skill.name,
                          stage,
                        })
                      }
                      data-testid="matrix-cell"
                    >
                      <Text span fw={700} fz="md" className="tabular">
                        {stage}
                      </Text>
                      <StageMeter stage={stage} size={5} />
                    </UnstyledButton>
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </section>
  );
}
