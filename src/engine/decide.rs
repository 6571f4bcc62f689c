//! Cedar's authorization decision for many requests against one policy set, with each policy's
//! condition built once instead of once per request.
//!
//! Cedar's `Authorizer` asks every policy for its condition on every request, and the policy
//! builds it anew each time: its body cloned and joined to its scope constraints. Measured on the
//! 1M-credential benchmark that construction and its drop were a third of the evaluation. Here
//! each policy's condition is taken once, when a worker's set is prepared, and then interpreted
//! by Cedar's own evaluator for each request. Only the combining step is written here, and it is
//! the one Cedar specifies: any satisfied `forbid` denies, naming the satisfied forbids; else any
//! satisfied `permit` allows, naming the satisfied permits; else the default is deny with no
//! reasons. A policy that errors is not satisfied and its error is reported, as Cedar's
//! `Skip` error handling does. Residuals (partially evaluated policies) cannot occur: Cedar's
//! `partial-eval` feature is off and every request has a concrete context and entities.
//! `tests/engine_conformance.rs` checks every decision against Cedar's `Authorizer` on the
//! example organisation and on a synthetic one.

use cedar_policy::{AuthorizationError, Decision, Entities, PolicySet, Request};
use cedar_policy_core::ast::{
    Effect, Expr, Literal, Policy as CorePolicy, PolicyID, SlotEnv, Value, ValueKind,
};
use cedar_policy_core::authorizer::AuthorizationError as CoreAuthorizationError;
use cedar_policy_core::evaluator::Evaluator;
use cedar_policy_core::extensions::Extensions;

/// A policy with its condition built.
struct PreparedPolicy {
    id: PolicyID,
    effect: Effect,
    condition: Expr,
    env: SlotEnv,
    policy: CorePolicy,
}

/// A policy set ready to decide many requests. Not shared between threads: evaluation bumps
/// the reference counts inside the conditions.
pub struct PreparedSet {
    policies: Vec<PreparedPolicy>,
}

/// What Cedar decided for one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub decision: Decision,
    /// The policies that determined the decision, sorted.
    pub reasons: Vec<String>,
    /// Policies that failed to evaluate, in the set's order.
    pub errors: Vec<AuthorizationError>,
}

impl PreparedSet {
    pub fn new(set: &PolicySet) -> PreparedSet {
        let core: &cedar_policy_core::ast::PolicySet = set.as_ref();
        PreparedSet {
            policies: core
                .policies()
                .map(|policy| PreparedPolicy {
                    id: policy.id().clone(),
                    effect: policy.effect(),
                    condition: policy.condition(),
                    env: policy.env().clone(),
                    policy: policy.clone(),
                })
                .collect(),
        }
    }

    /// Cedar's decision for `request` against the set, over the entities `entities`.
    pub fn decide(&self, request: &Request, entities: &Entities) -> Verdict {
        let evaluator = Evaluator::new(
            request.as_ref().clone(),
            entities.as_ref(),
            Extensions::all_available(),
        );
        let mut forbids = Vec::new();
        let mut permits = Vec::new();
        let mut errors = Vec::new();
        for prepared in &self.policies {
            let satisfied = match evaluator.interpret(&prepared.condition, &prepared.env) {
                Ok(Value {
                    value: ValueKind::Lit(Literal::Bool(b)),
                    ..
                }) => Ok(b),
                // A condition is a conjunction, so it is a boolean or an error; should it ever
                // not be, Cedar's own path gives the type error it would report.
                Ok(_) => evaluator.evaluate(&prepared.policy),
                Err(e) => Err(e),
            };
            match satisfied {
                Ok(true) => match prepared.effect {
                    Effect::Forbid => forbids.push(&prepared.id),
                    Effect::Permit => permits.push(&prepared.id),
                },
                Ok(false) => {}
                Err(error) => errors.push(AuthorizationError::from(
                    CoreAuthorizationError::PolicyEvaluationError {
                        id: prepared.id.clone(),
                        error,
                    },
                )),
            }
        }
        let (decision, reasons) = if !forbids.is_empty() {
            (Decision::Deny, forbids)
        } else if !permits.is_empty() {
            (Decision::Allow, permits)
        } else {
            (Decision::Deny, Vec::new())
        };
        // Displayed as Cedar's public `PolicyId` displays it.
        let mut reasons: Vec<String> = reasons.into_iter().map(|id| id.to_string()).collect();
        reasons.sort();
        Verdict {
            decision,
            reasons,
            errors,
        }
    }
}
