"""Plans: 'plans to', 'is planning', 'will launch', 'strategy', and plans cancelled or ruled out."""

from __future__ import annotations

import re

from ..context import Context
from ..sentences import Sentence
from .common import cued_subject, summary, topic, year_after

CUE = re.compile(r"\b(plans? to|planning to|planned|plan|plans|strategy|intends? to|is set to|are set to|will (?:launch|"
                 r"build|develop|introduce|offer|start|begin|open|invest|partner|shift|use|be launched|produce|sell|"
                 r"provide|list|spin off|float)|(?:is|are) (?:actively )?(?:seeking|considering|preparing|working on|"
                 r"formulating|developing)|envisions?|would consider|going public|listing|IPO|"
                 r"no plans|will not|won['’]t|ruled out|cancel(?:led|ed|s)?|scrap(?:ped|s)?|abandon(?:ed|s)?|"
                 r"shelved|halted|postponed|delayed|under way|underway|on track for)\b", re.I)
RULED_OUT = re.compile(r"\b(no plans|will not|won['’]t|ruled out|cancel(?:led|ed|s)?|scrap(?:ped|s)?|abandon(?:ed|s)?|"
                       r"shelved|halted|dropped|called off)\b", re.I)
CONSIDERED = re.compile(r"\b(consider\w*|explor\w*|weigh\w*|study\w*|could|might|may|envisions?|mulling)\b", re.I)
UNDER_WAY = re.compile(r"\b(under ?way|is developing|are developing|working on|on track|in progress|formulating)\b", re.I)


def find(sentence: Sentence, ctx: Context) -> list:
    if (found := cued_subject(sentence, ctx, CUE)) is None:
        return []
    match, subject, needs = found
    text = sentence.text
    status = ("ruled-out" if RULED_OUT.search(text) else "considered" if CONSIDERED.search(text)
              else "under-way" if UNDER_WAY.search(text) else "planned")
    values = {"id": ctx.new_id(f"plan-{subject}-{topic(text, match.end())}"), "subject": subject,
              "summary": summary(text), "status": status, "date": year_after(text)}
    made = ctx.make("plan", values, sentence, "plan-" + status, focus=match.span(), needs=needs)
    return [made] if made else []
