import { ApplicationFailure, setHandler, workflowInfo } from '@temporalio/workflow';
import { answerClarificationsUpdate, type ClarificationAnswers } from '../run/messages.js';
import type { ClarificationAnswer } from '../run/summary.js';
import type { RunProgress } from './run-progress.js';

const MAX_ANSWER_CHARS = 4000;

/**
 * `clarification: wait`: the run lists the spec's open questions and waits for an operator's
 * `answerClarifications` update, which must answer each of them, in order.
 */
export class ClarificationGate {
  private open: string[] | undefined;
  private answers: string[] | undefined;
  private next = '';

  constructor(private readonly progress: RunProgress) {
    setHandler(
      answerClarificationsUpdate,
      ({ answers }) => {
        this.answers = answers.map((a) => a.trim());
        return { runId: workflowInfo().workflowId, next: this.next };
      },
      { validator: (update) => this.validate(update) },
    );
  }

  /** Waits for the answers; a wait longer than `timeoutSeconds` fails the run with the questions. */
  async answered(
    questions: string[],
    timeoutSeconds: number,
    nextStep: string,
  ): Promise<ClarificationAnswer[]> {
    this.open = questions;
    this.next = `the answers are written into spec.md, then the run goes on with ${nextStep}`;
    const inTime = await this.progress.awaitOperator(
      { kind: 'clarification', questions },
      timeoutSeconds,
      () => Boolean(this.answers),
    );
    this.open = undefined;
    if (!inTime) {
      throw ApplicationFailure.nonRetryable(
        `no answers to the spec's questions within ${timeoutSeconds} s (timeouts.clarificationWaitSeconds):\n` +
          `${list(questions)}\nAnswer them in the feature description and start a new run.`,
        'ClarificationTimedOut',
      );
    }
    const answers = this.answers ?? [];
    return questions.map((question, i) => ({ question, answer: answers[i] ?? '' }));
  }

  // Runs before the update is accepted into history: a refused update leaves no trace in the run.
  private validate(update: ClarificationAnswers): void {
    const questions = this.open;
    if (!questions || this.answers) {
      throw new Error(
        `run ${workflowInfo().workflowId} is not waiting for clarification answers (status ${this.progress.summary.status})`,
      );
    }
    const answers = update?.answers;
    if (!Array.isArray(answers) || answers.some((a) => typeof a !== 'string')) {
      throw new Error('give the answers as {"answers": ["…", …]}: one string per question');
    }
    if (answers.length !== questions.length) {
      throw new Error(
        `the run asks ${questions.length} question(s) and got ${answers.length} answer(s), one per question, in order:\n${list(questions)}`,
      );
    }
    const empty = answers.findIndex((a) => a.trim() === '');
    if (empty >= 0) throw new Error(`answer ${empty + 1} is empty (question: ${questions[empty]})`);
    const long = answers.findIndex((a) => a.length > MAX_ANSWER_CHARS);
    if (long >= 0) throw new Error(`answer ${long + 1} is longer than ${MAX_ANSWER_CHARS} characters`);
  }
}

function list(questions: string[]): string {
  return questions.map((q, i) => `  ${i + 1}. ${q}`).join('\n');
}
