package timeline

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Parse reports whether svg is well-formed XML whose root is <svg>, and
// counts its <rect> and <line> elements. The commands' tests use it.
func Parse(svg string) (rects, lines int, err error) {
	d := xml.NewDecoder(strings.NewReader(svg))
	root := ""
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, 0, err
		}
		if s, ok := tok.(xml.StartElement); ok {
			if root == "" {
				root = s.Name.Local
			}
			switch s.Name.Local {
			case "rect":
				rects++
			case "line":
				lines++
			}
		}
	}
	if root != "svg" {
		return 0, 0, fmt.Errorf("timeline: root element %q; want svg", root)
	}
	return rects, lines, nil
}
