//! Dependency parsing: a greedy arc-hybrid transition parser (Kuhlmann et
//! al. 2011) with labelled transitions, scored by an averaged perceptron
//! over the feature set of Zhang and Nivre (2011), and trained with the
//! dynamic oracle and error exploration of Goldberg and Nivre (2012,
//! 2013).
//!
//! The state is a stack and a buffer whose last item is the root (Ballesteros
//! and Nivre 2013), so a sentence's root is attached last and only once:
//! - SHIFT moves the buffer's front to the stack;
//! - LEFT(l) makes the stack's top a dependent of the buffer's front;
//! - RIGHT(l) makes the stack's top a dependent of the item below it.

use super::Deprel;
use super::perceptron::{KeyMap, Reader, Rng, Train, Weights, Writer, feat, read_map, write_map};
use super::tagger::Word;

const SHIFT: usize = 0;
const NONE: u64 = 0x4e4f_4e45;
/// The word value of the root.
const ROOT_W: u64 = 0x524f_4f54;

/// Classes: SHIFT, then LEFT of each relation, then RIGHT of each.
fn n_classes() -> usize {
    1 + 2 * Deprel::COUNT
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Move {
    Shift,
    Left(usize),
    Right(usize),
}

fn decode(class: usize) -> Move {
    let l = Deprel::COUNT;
    if class == SHIFT {
        Move::Shift
    } else if class <= l {
        Move::Left(class - 1)
    } else {
        Move::Right(class - 1 - l)
    }
}

/// A parser configuration.
struct State {
    n: usize,
    stack: Vec<usize>,
    /// The buffer's front; `n` is the root, the buffer's last item.
    b: usize,
    heads: Vec<usize>,
    labels: Vec<u8>,
    /// Dependents to the left and right of each token (root included), in
    /// the order they were attached.
    lefts: Vec<Vec<usize>>,
    rights: Vec<Vec<usize>>,
}

const NO_HEAD: usize = usize::MAX;

impl State {
    fn new(n: usize) -> State {
        State {
            n,
            stack: Vec::with_capacity(n),
            b: 0,
            heads: vec![NO_HEAD; n],
            labels: vec![0; n],
            lefts: vec![Vec::new(); n + 1],
            rights: vec![Vec::new(); n + 1],
        }
    }

    fn done(&self) -> bool {
        self.b == self.n && self.stack.is_empty()
    }

    fn can_shift(&self) -> bool {
        self.b < self.n
    }
    fn can_left(&self) -> bool {
        !self.stack.is_empty() && (self.b < self.n || self.stack.len() == 1)
    }
    fn can_right(&self) -> bool {
        self.stack.len() >= 2
    }

    fn valid(&self, class: usize) -> bool {
        match decode(class) {
            Move::Shift => self.can_shift(),
            Move::Left(l) => self.can_left() && ((l == Deprel::ROOT.index()) == (self.b == self.n)),
            Move::Right(l) => self.can_right() && l != Deprel::ROOT.index(),
        }
    }

    fn apply(&mut self, class: usize) {
        match decode(class) {
            Move::Shift => {
                self.stack.push(self.b);
                self.b += 1;
            }
            Move::Left(l) => {
                let s0 = self.stack.pop().expect("valid move");
                self.heads[s0] = self.b;
                self.labels[s0] = l as u8;
                self.lefts[self.b].push(s0);
            }
            Move::Right(l) => {
                let s0 = self.stack.pop().expect("valid move");
                let s1 = *self.stack.last().expect("valid move");
                self.heads[s0] = s1;
                self.labels[s0] = l as u8;
                self.rights[s1].push(s0);
            }
        }
    }

    /// Unlabelled costs of SHIFT, LEFT and RIGHT against gold heads (`n`
    /// for the root): how many gold arcs each move makes unreachable.
    fn costs(&self, gold: &[usize]) -> [usize; 3] {
        let mut c = [0usize; 3];
        let b = self.b;
        let in_buffer = |x: usize| x >= b; // the root (n) is in the buffer
        if self.can_shift() {
            // b0's dependents on the stack, and its head below the stack's top.
            let top = self.stack.last().copied();
            for &d in &self.stack {
                if gold[d] == b {
                    c[0] += 1;
                }
                if gold[b] == d && Some(d) != top {
                    c[0] += 1;
                }
            }
        }
        if let Some(&s0) = self.stack.last() {
            let deps_in_buffer = (b..self.n).filter(|&d| gold[d] == s0).count();
            let s1 = self.stack.len().checked_sub(2).map(|i| self.stack[i]);
            let h = gold[s0];
            // LEFT: s0 takes b0 as head.
            c[1] = deps_in_buffer + usize::from(h != b && (Some(h) == s1 || (in_buffer(h) && h > b)));
            // RIGHT: s0 takes s1 as head.
            c[2] = deps_in_buffer + usize::from(in_buffer(h));
        }
        c
    }
}

/// The trained parser.
#[derive(Clone)]
pub struct Parser {
    weights: Weights,
    /// Words frequent enough in training to be features in their own
    /// right; any other word is known by its shape.
    vocab: KeyMap<u64, ()>,
}

/// Mixed into a shape to stand for a word outside the vocabulary.
const UNKNOWN: u64 = 0x554e_4b4e_4f57_4e00;

/// How often a word must occur in training to be in the vocabulary.
pub(crate) const MIN_WORD_COUNT: u32 = 2;

impl Parser {
    /// The feature value of a word.
    fn word_value(vocab: &KeyMap<u64, ()>, w: &Word) -> u64 {
        if vocab.contains_key(&w.lower) { w.lower } else { w.shape ^ UNKNOWN }
    }
}

/// The context a transition is scored in: words, tags and labels of the
/// stack, buffer and their outermost dependents.
#[derive(Clone, Copy)]
struct Item {
    w: u64,
    t: u64,
    l: u64,
}

const NO_ITEM: Item = Item { w: NONE, t: NONE, l: NONE };

impl Parser {
    /// Parse a tagged sentence: each word's head (`None` for the root) and relation.
    pub(crate) fn parse(&self, words: &[Word], tags: &[u16]) -> Vec<(Option<usize>, Deprel)> {
        let n = words.len();
        let mut st = State::new(n);
        let ws: Vec<u64> = words.iter().map(|w| Parser::word_value(&self.vocab, w)).collect();
        let mut feats = Vec::with_capacity(96);
        let mut scores = vec![0f32; n_classes()];
        while !st.done() {
            features(&st, &ws, tags, &mut feats);
            scores.iter_mut().for_each(|s| *s = 0.0);
            self.weights.score(&feats, &mut scores);
            let best = relabelled(&st, &scores, best_valid(&st, &scores));
            st.apply(best);
        }
        (0..n)
            .map(|i| {
                let h = st.heads[i];
                let rel = Deprel::from_index(st.labels[i] as usize).unwrap_or(Deprel::DEP);
                if h >= n { (None, Deprel::ROOT) } else { (Some(h), rel) }
            })
            .collect()
    }

    pub(crate) fn write(&self, out: &mut Writer) {
        out.u32(Deprel::COUNT as u32);
        write_map(out, &self.vocab, |_, _| {});
        self.weights.write(out);
    }

    pub(crate) fn read(r: &mut Reader) -> Result<Parser, String> {
        let labels = r.u32()? as usize;
        if labels != Deprel::COUNT {
            return Err(format!("the parser was trained with {labels} relations; this build has {}", Deprel::COUNT));
        }
        let vocab = read_map(r, |_| Ok(()))?;
        let weights = Weights::read(r)?;
        if weights.max_class().is_some_and(|c| c as usize >= n_classes()) {
            return Err("a parser weight names an unknown transition".into());
        }
        Ok(Parser { weights, vocab })
    }

    /// Train on sentences of (words, tags, gold heads with `n` for the
    /// root, gold relation indices). `min_weight` drops averaged weights
    /// smaller than it (a smaller model).
    pub(crate) fn train(sentences: &[TrainSentence], epochs: usize, seed: u64, min_weight: f32) -> Parser {
        let mut counts: KeyMap<u64, u32> = KeyMap::default();
        for s in sentences {
            for w in &s.words {
                *counts.entry(w.lower).or_default() += 1;
            }
        }
        let vocab: KeyMap<u64, ()> =
            counts.into_iter().filter(|(_, n)| *n >= MIN_WORD_COUNT).map(|(w, _)| (w, ())).collect();
        let values: Vec<Vec<u64>> =
            sentences.iter().map(|s| s.words.iter().map(|w| Parser::word_value(&vocab, w)).collect()).collect();
        let mut model = Train::new();
        let mut rng = Rng::new(seed);
        let mut order: Vec<usize> = (0..sentences.len()).collect();
        let mut feats = Vec::with_capacity(96);
        let mut scores = vec![0f32; n_classes()];
        for epoch in 0..epochs {
            rng.shuffle(&mut order);
            let explore = epoch >= 1;
            for &k in &order {
                let s = &sentences[k];
                let mut st = State::new(s.words.len());
                while !st.done() {
                    features(&st, &values[k], &s.tags, &mut feats);
                    scores.iter_mut().for_each(|x| *x = 0.0);
                    model.score(&feats, &mut scores);
                    let guess = best_valid(&st, &scores);
                    let costs = st.costs(&s.heads);
                    let cost = |class: usize| -> usize {
                        match decode(class) {
                            Move::Shift => costs[0],
                            Move::Left(l) => {
                                let s0 = *st.stack.last().expect("valid");
                                costs[1] + usize::from(s.heads[s0] == st.b && s.labels[s0] as usize != l)
                            }
                            Move::Right(l) => {
                                let s0 = *st.stack.last().expect("valid");
                                let s1 = st.stack[st.stack.len() - 2];
                                costs[2] + usize::from(s.heads[s0] == s1 && s.labels[s0] as usize != l)
                            }
                        }
                    };
                    let mut best_gold = None;
                    let mut min_cost = usize::MAX;
                    for class in 0..n_classes() {
                        if !st.valid(class) {
                            continue;
                        }
                        let c = cost(class);
                        if c < min_cost
                            || (c == min_cost && best_gold.is_some_and(|g: usize| scores[class] > scores[g]))
                        {
                            min_cost = c;
                            best_gold = Some(class);
                        }
                    }
                    let best_gold = best_gold.expect("a non-terminal state has a valid move");
                    model.tick();
                    let next = if cost(guess) > min_cost {
                        model.update(&feats, best_gold, guess);
                        if explore && rng.unit() < 0.9 { guess } else { best_gold }
                    } else {
                        guess
                    };
                    st.apply(next);
                }
            }
        }
        Parser { weights: model.average(0.0).pruned(min_weight), vocab }
    }

    /// The parser without weights smaller than `min_abs`.
    pub(crate) fn pruned(&self, min_abs: f32) -> Parser {
        Parser { weights: self.weights.pruned(min_abs), vocab: self.vocab.clone() }
    }

    /// Features and weights kept, for reports.
    pub(crate) fn size(&self) -> (usize, usize) {
        self.weights.size()
    }
}

/// A training sentence for the parser.
pub(crate) struct TrainSentence {
    pub(crate) words: Vec<Word>,
    pub(crate) tags: Vec<u16>,
    /// Gold head of each word, `words.len()` for the root.
    pub(crate) heads: Vec<usize>,
    pub(crate) labels: Vec<u8>,
}

fn best_valid(st: &State, scores: &[f32]) -> usize {
    let l = Deprel::COUNT;
    let root = Deprel::ROOT.index();
    let mut best: Option<usize> = None;
    let mut consider = |class: usize| {
        if best.is_none_or(|b| scores[class] > scores[b]) {
            best = Some(class);
        }
    };
    if st.can_shift() {
        consider(SHIFT);
    }
    if st.can_left() {
        if st.b == st.n {
            consider(1 + root);
        } else {
            (0..l).filter(|&r| r != root).for_each(|r| consider(1 + r));
        }
    }
    if st.can_right() {
        (0..l).filter(|&r| r != root).for_each(|r| consider(1 + l + r));
    }
    best.expect("a non-terminal state has a valid move")
}

/// The family of a relation a head takes at most once in UD: 1 for
/// subjects, 2 for direct objects, 0 for the rest.
fn singleton(label: usize) -> u8 {
    const SUBJECTS: [Deprel; 3] = [Deprel::NSUBJ, Deprel::NSUBJ_PASS, Deprel::CSUBJ];
    if SUBJECTS.iter().any(|d| d.index() == label) {
        1
    } else if label == Deprel::OBJ.index() {
        2
    } else {
        0
    }
}

/// At parse time, a head takes at most one subject and one object, as UD's
/// trees do. The move the model chose is kept (so every head stays as it
/// would have been); only a second subject or object of the same head is
/// relabelled with the best other relation of the same move: "Tulsa police
/// Chief Chuck Jordan said Monday" has one subject, not three.
fn relabelled(st: &State, scores: &[f32], class: usize) -> usize {
    let l = Deprel::COUNT;
    let (head, label, base) = match decode(class) {
        Move::Shift => return class,
        Move::Left(r) => (st.b, r, 1),
        Move::Right(r) => (st.stack[st.stack.len() - 2], r, 1 + l),
    };
    let family = singleton(label);
    let taken = |f: u8| st.lefts[head].iter().chain(&st.rights[head]).any(|&d| singleton(st.labels[d] as usize) == f);
    if family == 0 || !taken(family) {
        return class;
    }
    (0..l)
        .filter(|&r| r != Deprel::ROOT.index() && (singleton(r) == 0 || !taken(singleton(r))))
        .max_by(|&a, &b| scores[base + a].total_cmp(&scores[base + b]))
        .map_or(class, |r| base + r)
}

fn label_set(st: &State, deps: &[usize]) -> u64 {
    deps.iter().fold(0u64, |m, &d| m | (1u64 << (st.labels[d] as u64 % 64)))
}

/// The features of a configuration.
fn features(st: &State, ws: &[u64], tags: &[u16], out: &mut Vec<u32>) {
    out.clear();
    let n = st.n;
    let item = |i: Option<usize>| -> Item {
        match i {
            None => NO_ITEM,
            Some(i) if i == n => Item { w: ROOT_W, t: 0xffff, l: NONE },
            Some(i) => Item {
                w: ws[i],
                t: u64::from(tags[i]),
                l: if st.heads[i] == NO_HEAD { NONE } else { u64::from(st.labels[i]) },
            },
        }
    };
    let depth = st.stack.len();
    let s0i = depth.checked_sub(1).map(|i| st.stack[i]);
    let s1i = depth.checked_sub(2).map(|i| st.stack[i]);
    let s2i = depth.checked_sub(3).map(|i| st.stack[i]);
    let b0i = Some(st.b);
    let b1i = (st.b < n).then_some(st.b + 1);
    let b2i = (st.b + 1 < n).then_some(st.b + 2);
    // Outermost dependents. Left dependents are attached nearest first
    // (LEFT pops the stack downwards) and right dependents nearest first
    // too (each RIGHT attaches a later word), so the outermost is the last.
    let lm = |i: Option<usize>, k: usize| -> Option<usize> {
        let v = &st.lefts[i?];
        v.len().checked_sub(k + 1).map(|j| v[j])
    };
    let rm = |i: Option<usize>, k: usize| -> Option<usize> {
        let v = &st.rights[i?];
        v.len().checked_sub(k + 1).map(|j| v[j])
    };
    let (s0, s1, s2, b0, b1, b2) = (item(s0i), item(s1i), item(s2i), item(b0i), item(b1i), item(b2i));
    let (s0l, s0l2, s0r, s0r2) = (item(lm(s0i, 0)), item(lm(s0i, 1)), item(rm(s0i, 0)), item(rm(s0i, 1)));
    let (b0l, b0l2) = (item(lm(b0i, 0)), item(lm(b0i, 1)));
    let (s1r, s1l) = (item(rm(s1i, 0)), item(lm(s1i, 0)));
    let dist = match s0i {
        Some(s) => ((st.b.min(n) - s).min(6)) as u64,
        None => 0,
    };
    let vl = |i: Option<usize>| i.map_or(0, |i| st.lefts[i].len() as u64);
    let vr = |i: Option<usize>| i.map_or(0, |i| st.rights[i].len() as u64);
    let (s0vl, s0vr, b0vl, s1vr) = (vl(s0i), vr(s0i), vl(b0i), vr(s1i));
    let s0ls = s0i.map_or(0, |i| label_set(st, &st.lefts[i]));
    let s0rs = s0i.map_or(0, |i| label_set(st, &st.rights[i]));
    let b0ls = label_set(st, &st.lefts[st.b]);
    let wt = |x: Item| x.w ^ x.t.rotate_left(50);

    let mut f = |t: u32, a: u64, b: u64, c: u64| out.push(feat(t, a, b, c));
    f(0, 0, 0, 0);
    // single items
    f(1, s0.w, 0, 0);
    f(2, s0.t, 0, 0);
    f(3, wt(s0), 0, 0);
    f(4, b0.w, 0, 0);
    f(5, b0.t, 0, 0);
    f(6, wt(b0), 0, 0);
    f(7, b1.w, 0, 0);
    f(8, b1.t, 0, 0);
    f(9, wt(b1), 0, 0);
    f(10, b2.w, 0, 0);
    f(11, b2.t, 0, 0);
    f(12, wt(b2), 0, 0);
    f(13, s1.w, 0, 0);
    f(14, s1.t, 0, 0);
    f(15, wt(s1), 0, 0);
    f(16, s2.t, 0, 0);
    // pairs
    f(20, wt(s0), wt(b0), 0);
    f(21, wt(s0), b0.w, 0);
    f(22, s0.w, wt(b0), 0);
    f(23, wt(s0), b0.t, 0);
    f(24, s0.t, wt(b0), 0);
    f(25, s0.w, b0.w, 0);
    f(26, s0.t, b0.t, 0);
    f(27, b0.t, b1.t, 0);
    f(28, s1.t, s0.t, 0);
    f(29, s1.w, s0.w, 0);
    f(30, wt(s1), s0.t, 0);
    f(31, s1.t, wt(s0), 0);
    f(32, s1.t, b0.t, 0);
    f(33, s1.w, b0.w, 0);
    // triples
    f(40, b0.t, b1.t, b2.t);
    f(41, s0.t, b0.t, b1.t);
    f(42, s1.t, s0.t, b0.t);
    f(43, s0.t, s0l.t, b0.t);
    f(44, s0.t, s0r.t, b0.t);
    f(45, s0.t, b0.t, b0l.t);
    f(46, s1.t, s0.t, s0l.t);
    f(47, s1.t, s0.t, s0r.t);
    f(48, s2.t, s1.t, s0.t);
    f(49, s1.t, s1r.t, s0.t);
    f(50, s0.w, b0.t, b1.t);
    f(51, s0.t, b0.w, b1.t);
    // distance
    f(60, s0.w, dist, 0);
    f(61, s0.t, dist, 0);
    f(62, b0.w, dist, 0);
    f(63, b0.t, dist, 0);
    f(64, s0.w ^ b0.w.rotate_left(7), dist, 0);
    f(65, s0.t, b0.t, dist);
    // valency
    f(70, s0.w, s0vr, 0);
    f(71, s0.t, s0vr, 0);
    f(72, s0.w, s0vl, 0);
    f(73, s0.t, s0vl, 0);
    f(74, b0.w, b0vl, 0);
    f(75, b0.t, b0vl, 0);
    f(76, s1.t, s1vr, 0);
    // dependents
    f(80, s0l.w, 0, 0);
    f(81, s0l.t, 0, 0);
    f(82, s0l.l, 0, 0);
    f(83, s0r.w, 0, 0);
    f(84, s0r.t, 0, 0);
    f(85, s0r.l, 0, 0);
    f(86, b0l.w, 0, 0);
    f(87, b0l.t, 0, 0);
    f(88, b0l.l, 0, 0);
    f(89, s1r.t, s1r.l, 0);
    f(90, s1l.t, s1l.l, 0);
    f(91, s0l2.w, 0, 0);
    f(92, s0l2.t, 0, 0);
    f(93, s0l2.l, 0, 0);
    f(94, s0r2.w, 0, 0);
    f(95, s0r2.t, 0, 0);
    f(96, s0r2.l, 0, 0);
    f(97, b0l2.w, 0, 0);
    f(98, b0l2.t, 0, 0);
    f(99, b0l2.l, 0, 0);
    f(100, s0.t, s0l.t, s0l2.t);
    f(101, s0.t, s0r.t, s0r2.t);
    f(102, b0.t, b0l.t, b0l2.t);
    f(103, s0.t, s0l.l, s0r.l);
    f(104, b0.t, b0l.l, 0);
    f(105, s0.w, s0l.l, s0r.l);
    // label sets
    f(110, s0.w, s0rs, 0);
    f(111, s0.t, s0rs, 0);
    f(112, s0.w, s0ls, 0);
    f(113, s0.t, s0ls, 0);
    f(114, b0.w, b0ls, 0);
    f(115, b0.t, b0ls, 0);
    // stack depth and the end of the sentence
    f(120, (depth.min(4)) as u64, b0.t, 0);
    f(121, u64::from(st.b == n), s0.t, s1.t);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Gold heads (with `n` for the root) through the oracle give the gold tree.
    #[test]
    fn zero_cost_moves_rebuild_a_projective_tree() {
        // "Acme said hackers stole data ." : said is the root.
        let heads = [1usize, 6, 3, 1, 3, 1];
        let mut st = State::new(6);
        while !st.done() {
            let costs = st.costs(&heads);
            let class = if st.can_shift() && costs[0] == 0 {
                SHIFT
            } else if st.can_left() && costs[1] == 0 {
                1 + if st.b == st.n { Deprel::ROOT.index() } else { Deprel::DEP.index() }
            } else {
                assert!(st.can_right() && costs[2] == 0, "no zero-cost move");
                1 + Deprel::COUNT + Deprel::DEP.index()
            };
            assert!(st.valid(class));
            st.apply(class);
        }
        assert_eq!(st.heads, heads);
    }
}
