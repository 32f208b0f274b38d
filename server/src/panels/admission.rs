//! What a request was admitted to see, as the data layer checks it.
//!
//! The access guard decides (see `crate::http::private_links`) and leaves an
//! [`Admission`] on the request; the panel data and layouts of a private
//! dashboard are handed out only against one that names it. A route that
//! forgets the guard has none, reads as [`Admission::Public`], and gets the
//! same "no such dashboard" as a stranger: defence in depth, failing closed.

/// Proof, from the access guard or the operator, of what may be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Admission {
    /// Anyone: public dashboards only.
    #[default]
    Public,
    /// A valid signed link to this private dashboard (and the public ones).
    Signed(String),
    /// The operator (the admin token) or Porthole's own jobs: everything.
    Operator,
}

impl Admission {
    /// Whether the dashboard `id`, public or not, may be read with this.
    pub fn admits(&self, id: &str, public: bool) -> bool {
        match self {
            Admission::Public => public,
            Admission::Signed(signed) => public || signed == id,
            Admission::Operator => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_dashboards_need_their_own_admission() {
        assert!(Admission::Public.admits("product", true));
        assert!(!Admission::Public.admits("finance", false));
        assert!(Admission::Signed("finance".to_owned()).admits("finance", false));
        assert!(!Admission::Signed("finance".to_owned()).admits("payroll", false));
        assert!(Admission::Signed("finance".to_owned()).admits("product", true));
        assert!(Admission::Operator.admits("payroll", false));
    }
}
