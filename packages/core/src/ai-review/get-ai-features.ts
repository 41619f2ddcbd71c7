import { readAiConfig } from '@everyskill/ai';

export interface AiFeatures {
  /** False without ANTHROPIC_API_KEY: the portal shows AI review and benchmarks as off. */
  enabled: boolean;
  reviewModel: string;
  benchmarkModels: string[];
  judgeModel: string;
}

/** Whether AI review and benchmarks are on, and with which models (no secrets). */
export function getAiFeatures(): AiFeatures {
  const config = readAiConfig();
  return {
    enabled: config.enabled,
    reviewModel: config.reviewModel,
    benchmarkModels: config.benchmarkModels,
    judgeModel: config.judgeModel,
  };
}
