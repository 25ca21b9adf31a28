package props

// Checkers for building H₂O (package problems/h2o).

import (
	"fmt"

	"github.com/gochord/chord/problems/h2o"
)

// Names of the H₂O properties, as they appear in Violations.
const (
	H2OCompositionName = "h2o/composition"
	H2OReleaseName     = "h2o/released-together"
	H2OAllFormedName   = "h2o/all-molecules-formed"
)

// H2OProperties returns the properties every trace of a run of cfg must
// have:
//
//   - H2OComposition: each molecule is two distinct hydrogens and one
//     oxygen, each of which had arrived and had not bonded before;
//   - H2ORelease: an atom leaves only after its molecule formed, with that
//     molecule, once;
//   - H2OAllFormed: the run forms every molecule its atoms allow
//     (cfg.Molecules()), and every other atom goes home unbonded. A
//     deadlocked run (the Greedy mistake, ended by its context) fails it,
//     quoting the atoms that bonding sites took and held.
func H2OProperties(cfg h2o.Config) []Property[h2o.Event] {
	return []Property[h2o.Event]{H2OComposition(), H2ORelease(), H2OAllFormed(cfg)}
}

// H2OComposition is the property that each Bond takes exactly two distinct
// hydrogens and one oxygen, each of which arrived earlier and had not
// bonded before.
func H2OComposition() Property[h2o.Event] {
	const name = H2OCompositionName
	return Property[h2o.Event]{Name: name, Check: func(tr []h2o.Event) *Violation {
		arrived := map[h2o.Atom]h2o.Event{}
		bonded := map[h2o.Atom]h2o.Event{}
		for _, e := range tr {
			switch e.Kind {
			case h2o.Arrive:
				arrived[e.Atom] = e
			case h2o.Bond:
				var n [2]int
				for _, a := range e.Atoms {
					if a.Elem > h2o.O {
						return Violate(name, fmt.Sprintf("molecule %d has an atom of no known element", e.Molecule), e)
					}
					n[a.Elem]++
					if _, ok := arrived[a]; !ok {
						return Violate(name, fmt.Sprintf("molecule %d takes %v, which never arrived", e.Molecule, a), e)
					}
					if b, ok := bonded[a]; ok {
						return Violate(name, fmt.Sprintf("%v bonds twice", a), b, e)
					}
					bonded[a] = e
				}
				if n[h2o.H] != 2 || n[h2o.O] != 1 {
					return Violate(name, fmt.Sprintf("molecule %d is H%dO%d; want H2O", e.Molecule, n[h2o.H], n[h2o.O]), e)
				}
			}
		}
		return nil
	}}
}

// H2ORelease is the property that each Leave follows the Bond of its
// molecule, names an atom of it, and comes once per atom.
func H2ORelease() Property[h2o.Event] {
	const name = H2OReleaseName
	return Property[h2o.Event]{Name: name, Check: func(tr []h2o.Event) *Violation {
		bonds := map[int]h2o.Event{}
		left := map[h2o.Atom]h2o.Event{}
		for _, e := range tr {
			switch e.Kind {
			case h2o.Bond:
				bonds[e.Molecule] = e
			case h2o.Leave:
				b, ok := bonds[e.Molecule]
				if !ok {
					return Violate(name, fmt.Sprintf("%v leaves with molecule %d before it formed", e.Atom, e.Molecule), e)
				}
				in := false
				for _, a := range b.Atoms {
					in = in || a == e.Atom
				}
				if !in {
					return Violate(name, fmt.Sprintf("%v leaves with molecule %d, which it is not part of", e.Atom, e.Molecule), b, e)
				}
				if l, ok := left[e.Atom]; ok {
					return Violate(name, fmt.Sprintf("%v leaves twice", e.Atom), l, e)
				}
				left[e.Atom] = e
			}
		}
		return nil
	}}
}

// H2OAllFormed is the property that a run of cfg forms cfg.Molecules()
// molecules and every atom either leaves in one or goes home unbonded.
func H2OAllFormed(cfg h2o.Config) Property[h2o.Event] {
	const name = H2OAllFormedName
	return Property[h2o.Event]{Name: name, Check: func(tr []h2o.Event) *Violation {
		bonds := 0
		ended := map[h2o.Atom]bool{}
		held := map[h2o.Atom]h2o.Event{} // Took, until the atom's Bond
		var order []h2o.Atom
		for _, e := range tr {
			switch e.Kind {
			case h2o.Bond:
				bonds++
				for _, a := range e.Atoms {
					delete(held, a)
				}
			case h2o.Took:
				held[e.Atom] = e
				order = append(order, e.Atom)
			case h2o.Leave, h2o.Unbonded:
				ended[e.Atom] = true
			}
		}
		if bonds != cfg.Molecules() {
			var quote []h2o.Event
			for _, a := range order {
				if e, ok := held[a]; ok && len(quote) < 8 {
					quote = append(quote, e)
				}
			}
			why := fmt.Sprintf("%d molecules formed of the %d that %d H and %d O allow", bonds, cfg.Molecules(), cfg.Hydrogen, cfg.Oxygen)
			if len(quote) > 0 {
				why += "; these atoms were taken by bonding sites that then waited for the rest, holding them:"
			}
			return Violate(name, why, quote...)
		}
		if n := len(ended); n != cfg.Hydrogen+cfg.Oxygen {
			return Violate[h2o.Event](name, fmt.Sprintf("%d of %d atoms left or went home", n, cfg.Hydrogen+cfg.Oxygen))
		}
		return nil
	}}
}
